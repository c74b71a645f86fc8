import { firstLine } from './format';

/** How to mend a `platform.json` the CLI cannot read. */
const REWRITE_PLATFORM_JSON = 'synthesize the platform again (npx cdk8s synth) so the library rewrites it';

/** `render`'s refusal to replace an --out folder it did not write (`what` says what it holds). */
const outNotReplaceable = (shown: string, what: string) =>
  `--out "${shown}" ${what}; render replaces its --out folder. Fix: pass a new folder (e.g. rendered), or remove that one first.`;

/**
 * The command line's messages (src/cli/): one line each, naming the path or value and the fix.
 * `shown` is a path as the user gave it.
 */
export const cliMessages = {
  /** preview: a change Kubernetes refuses to apply to the live object (an immutable field). */
  immutableChange: (object: string, application: string, paths: readonly string[], rule: string) =>
    `Kubernetes refuses this update of ${object} (Application ${application}): ${paths.join(', ')} (${rule}), so Argo CD's sync fails at it and retries. `
    + 'Fix: keep the field as it is, or let Argo CD replace the object (sync option Replace=true on it or its Application; a StatefulSet is recreated with its pods, its volume claims stay), or delete it by hand before the sync.',
  // ---- the synth project (cdk8s.yaml and its app command)
  noProject: (dir: string) => `no cdk8s.yaml in "${dir}". Fix: run the command in your synth project's folder, or pass --dir <folder>.`,
  projectYaml: (dir: string, error: unknown) => `cdk8s.yaml in "${dir}" is not valid YAML (${firstLine(error)}). Fix: correct the file.`,
  projectApp: (dir: string) => `cdk8s.yaml in "${dir}" has no "app" command. Fix: add e.g. "app: npx tsx main.ts".`,
  appFailed: (app: string, dir: string, status: number | null, last: string) =>
    `the app command "${app}" failed (exit ${status ?? 'none'}): ${last}. Fix: run "${app}" in "${dir}" to see the whole error.`,
  appWroteNothing: (app: string) => `the app command "${app}" wrote nothing into CDK8S_OUTDIR. Fix: call platform.synth() in the app (it writes to CDK8S_OUTDIR).`,
  // ---- check
  /**
   * The output folder `shown` is at `actual` in its Git repository, but the platform's
   * `repository.path` is `declared` (`''` for the root): Argo CD syncs a folder not in Git.
   * `output` is the cdk8s.yaml `output` that would be `declared`.
   */
  /** `output`: the cdk8s.yaml `output` that would be `declared` (relative to the project). */
  repositoryPathMismatch: (shown: string, actual: string, declared: string, output: string) =>
    `the output folder ${shown} is ${JSON.stringify(actual)} in its Git repository, but repository.path in platform.json is ${JSON.stringify(declared)}: `
    + `the root Application syncs ${declared === '' ? 'the repository root' : JSON.stringify(declared)}, where this output is not. `
    + `Fix: set repository.path to ${JSON.stringify(actual)} in the Platform's props, or output: ${output} in cdk8s.yaml (and commit that folder).`,
  /** No `.git` above the project folder: `check` could not compare the output folder with `repository.path`. */
  noGitRepository: (dir: string, shown: string, declared: string) =>
    `(no Git repository above "${dir}": whether ${shown} is repository.path ${JSON.stringify(declared)} was not checked)`,
  staleOutput: (app: string, dir: string, shown: string) => `the committed output is stale or was edited by hand. Fix: run "${app}" in "${dir}" and commit ${shown}.`,
  // ---- platform.json
  platformJsonEmpty: (shown: string) => `${shown} is empty. Fix: ${REWRITE_PLATFORM_JSON}.`,
  platformJsonSyntax: (shown: string, error: unknown) => `${shown} is not valid JSON (${firstLine(error, 120)}). Fix: ${REWRITE_PLATFORM_JSON}.`,
  /** What a parsed `platform.json` lacks, for {@link cliMessages.platformJsonShape}. */
  platformJsonFlaw: {
    notAnObject: 'is not a JSON object',
    environments: 'has no valid "environments" list',
    clusters: 'has no valid "clusters" list',
    repository: 'has no "repository"',
  },
  platformJsonShape: (shown: string, flaw: string) => `${shown} ${flaw}: it is not a platform report this version wrote. Fix: ${REWRITE_PLATFORM_JSON}.`,
  platformFileMissing: (file: string, name: string) => `no ${name} at "${file}". Fix: synthesize the platform first, or pass --platform <path to ${name}>.`,
  platformFileUnderFile: (file: string, name: string) =>
    `"${file}": a file stands where a folder is expected on that path. Fix: pass the path of ${name} in the synthesized output folder.`,
  platformFileIsFolder: (file: string, name: string) => `"${file}" is a folder. Fix: pass the path of ${name} itself, e.g. dist/${name}.`,
  platformFileUnreadable: (file: string, reason: string) => `"${file}" cannot be read (${reason}). Fix: make it a readable file.`,
  // ---- output folders given on the command line
  fsNotAFolder: (shown: string, where: string) => `"${shown}": a file stands where a folder is expected (${where}). Fix: pass a folder, or move the file out of the way.`,
  fsNotAFile: (shown: string, where: string) => `"${shown}": a folder stands where a file is expected (${where}). Fix: pass the file itself.`,
  fsExists: (shown: string, where: string) => `"${shown}": ${where} already exists and is not a folder. Fix: pass another folder, or move that file out of the way.`,
  fsPermission: (shown: string, where: string) => `"${shown}": permission denied on ${where}. Fix: check the owner and mode of that path.`,
  fsMissing: (shown: string, where: string) => `"${shown}": ${where} does not exist. Fix: check the path.`,
  outputYaml: (file: string, error: unknown) => `${file} is not valid YAML (${firstLine(error)}). Fix: synthesize the output again, or correct the file by hand.`,
  folderMissing: (shown: string) => `"${shown}" does not exist. Fix: pass the folder the synth wrote (e.g. dist).`,
  folderEmpty: (shown: string) => `"${shown}" holds no synthesized output. Fix: pass the folder the synth wrote (e.g. dist).`,
  // ---- explain
  explainNoOutput: (shown: string) => `no synthesized output in "${shown}". Fix: synthesize first, or pass --output <folder>.`,
  explainNoCluster: (cluster: string, names: readonly string[]) =>
    `no cluster named "${cluster}". Allowed: ${names.join(', ') || 'none'}. Fix: use one of these names.`,
  // ---- render
  renderFromMissing: (shown: string) => `"${shown}" does not exist. Fix: synthesize first, or pass --from <the folder the synth wrote>.`,
  renderFromEmpty: (shown: string) => `"${shown}" holds no synthesized output. Fix: synthesize first, or pass --from <folder>.`,
  renderOutNotAFolder: (shown: string) => outNotReplaceable(shown, 'is not a folder'),
  renderOutForeign: (shown: string, file: string) => outNotReplaceable(shown, `holds "${file}", which render did not write`),
  // ---- init
  initTargetIsFile: (dir: string) => `init: "${dir}" is a file, not a folder. Fix: pass a new or empty folder, e.g. "platform-gitops".`,
  initWouldOverwrite: (dir: string, existing: readonly string[]) =>
    `init would overwrite ${existing.join(', ')} in ${dir}. Fix: run it in an empty folder, or pass --force to replace those files.`,
  libraryNotFound: (given: string, abs: string) =>
    `--library ${given}: not found (looked for ${abs}). Fix: run \`npm pack\` in the checkout first and pass the .tgz it wrote, or pass the checkout folder.`,
  libraryNotAPackage: (given: string) =>
    `--library ${given}: neither a .tgz made by \`npm pack\` nor a folder with a package.json. Fix: pass the tarball that \`npm pack\` wrote in the checkout.`,
};
