import { badValue, firstLine, show } from './format';

/**
 * The messages of reading a synthesized output back, rendering charts with helm as Argo CD's
 * repo server does, AppProject patterns, and the Terraform provider packages (top-level names of `messages`).
 */
export const renderingMessages = {
  // reading a synthesized output back (render, chart policies)
  platformJsonInvalid: (file: string, error: unknown) => badValue(`files["${file}"]`, `not valid JSON (${firstLine(error, 120)})`,
    `the ${file} a synth wrote`, 'synthesize the output again, or correct the file by hand'),
  platformJsonCatalog: (file: string, value: unknown) => badValue(`files["${file}"].catalog`, value, 'the list of catalog entries a synth wrote', 'synthesize the output again'),
  outputFileInvalid: (file: string, format: 'JSON' | 'YAML', error: unknown) =>
    `${file} is not valid ${format} (${firstLine(error, 120)}). Fix: synthesize the output again, or correct the file by hand.`,
  renderFiles: (value: unknown) => badValue('files', value, 'a Map of output paths to file text', 'pass what platform.render() returns (or the files of a synthesized output folder)'),
  renderOptions: (value: unknown) => badValue('options', value, 'an object of RenderApplicationsOptions', 'pass the options as an object (or leave them out)'),
  renderFileText: (file: unknown, value: unknown) => badValue(`files[${JSON.stringify(String(file))}]`, value, 'the text of the file', 'map each output path to its text'),
  // rendering charts with helm, as Argo CD's repo server does
  helmNotFound: (bin: string) => `helm not found: "${bin}". Fix: install helm 3.8+ (or 4.x) on the PATH, or pass its path (option helm / HELM_BIN).`,
  helmFailed: (command: string, output: string) => `${command} failed: ${output}`,
  chartNotPulled: (chart: string, version: string, repoURL: string, candidates: readonly string[], said: string) =>
    `chart ${chart} ${version} (${repoURL}) not found: looked in ${candidates.join(', ')}, then helm pull said: ${said}. Fix: pin a version the repository publishes, or put the chart at ${candidates[0]}.`,
  chartPullEmpty: (chart: string, version: string, repoURL: string) => `helm pull ${chart} ${version} from ${repoURL} wrote no chart archive`,
  chartNotFound: (chart: string, version: string, repoURL: string, candidates: readonly string[]) =>
    `chart ${chart} ${version} (${repoURL}) not found: looked in ${candidates.join(', ')}. Fix: put the chart there (\`helm pull ${chart} --repo ${repoURL} --version ${version}\`), or allow pulling (option pull / --pull).`,
  renderedYamlInvalid: (chart: string, source: string | undefined, error: unknown) =>
    `${chart}: helm template produced YAML that does not parse${source ? ` (${source})` : ''}: ${firstLine(error)}`,
  inApplication: (name: string, file: string, message: string) => `Application ${name} (${file}): ${message}`,
  /** An AppProject glob Argo CD would not compile (caught where it is compiled: such a pattern matches nothing). */
  globPattern: (pattern: string, problem: string) => `AppProject pattern ${show(pattern)}: ${problem}`,
  clusterIssuer: (prop: string, value: unknown) => badValue(prop, value, 'a ClusterIssuer name', 'name the issuer'),
  // Terraform provider packages (optional peer dependencies)
  missingProvider: (usedBy: string | undefined, pkg: string, neededFor: string, version: string | undefined) =>
    `${usedBy ?? 'This platform'} needs the Terraform provider package ${pkg} (${neededFor}), which is not installed. `
    + 'Allowed: the provider packages of the clouds the platform uses are optional peer dependencies, installed by the platform repository. '
    + `Fix: npm install ${pkg}${version ? `@${version}` : ''}.`,
};
