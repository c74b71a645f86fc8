import * as fs from 'fs';
import * as path from 'path';
import { compareCodeUnits } from '../core/order';

/** The cloud a starter repository's platform runs on. */
export enum StarterCloud {
  /** AKS clusters, Key Vault, azurerm Terraform state. */
  AZURE = 'azure',
  /** EKS clusters, Secrets Manager, S3 Terraform state. */
  AWS = 'aws',
}

/** Options of {@link starterFiles}. */
export interface StarterOptions {
  /** The cloud of the starter platform. */
  readonly cloud: StarterCloud;
  /**
   * The npm package name of the new repository.
   * @default 'platform-gitops'
   */
  readonly name?: string;
  /**
   * Where the new repository installs cdk8s-gitops-platform from: an npm version range, or a
   * `file:` specifier (a tarball made by `npm pack` in a checkout, or a checkout's folder).
   * @default - `^<this library's version>` from the package registry
   * @see https://docs.npmjs.com/cli/v10/configuring-npm/package-json#local-paths
   */
  readonly library?: string;
}

interface OwnPackage {
  readonly version: string;
  readonly peerDependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}

/** This library's own package.json: its version and the versions it is tested with. */
function ownPackage(): OwnPackage {
  // src/starter/ and lib/starter/ are both two folders below the package root
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as OwnPackage;
}

const exact = (range: string) => range.replace(/^[\^~]/, '');

/**
 * The files of a new platform repository (relative path -> content): `cdk8s.yaml`,
 * `platform.ts` with a small platform for the cloud, `main.ts`, a unit test using the
 * library's Testing kit, CI workflows for GitHub Actions and GitLab CI that install,
 * test, synthesize and fail when the committed output differs from a fresh synth.
 * Every dependency is pinned to the version this library is tested with.
 */
export function starterFiles(options: StarterOptions): Map<string, string> {
  const own = ownPackage();
  const name = options.name ?? 'platform-gitops';
  // the providers of the starter's cloud only (the others are optional peers it never loads)
  // (time: an AKS management state's wait for the runner's role to take effect)
  const unused = options.cloud === StarterCloud.AZURE ? ['@cdktf/provider-aws', '@cdktf/provider-vault'] : ['@cdktf/provider-azurerm', '@cdktf/provider-vault', '@cdktf/provider-time'];
  const peers = Object.fromEntries(Object.entries(own.peerDependencies).filter(([k]) => !unused.includes(k)).map(([k, v]) => [k, exact(v)]));
  const tool = (dep: string) => exact(own.devDependencies[dep]);
  const pkg = {
    name,
    version: '0.0.0',
    private: true,
    description: 'Our Kubernetes platform, declared with cdk8s-gitops-platform; dist/ is what Argo CD and Terraform apply.',
    scripts: {
      'synth': 'cdk8s synth --check-upgrade=false',
      'test': 'vitest run',
      'check': 'cdk8s-gitops-platform check',
    },
    dependencies: sortKeys({ 'cdk8s-gitops-platform': options.library ?? `^${own.version}`, ...peers }),
    devDependencies: sortKeys({ 'cdk8s-cli': tool('cdk8s-cli'), 'tsx': tool('tsx'), 'vitest': tool('vitest') }),
    engines: { node: '>= 20.19.0' },
  };
  const files = new Map<string, string>();
  files.set('package.json', JSON.stringify(pkg, null, 2) + '\n');
  files.set('cdk8s.yaml', CDK8S_YAML);
  files.set('platform.ts', platformTs(options.cloud));
  files.set('main.ts', MAIN_TS);
  files.set('test/platform.test.ts', TEST_TS);
  files.set('.github/workflows/platform.yml', GITHUB_WORKFLOW);
  files.set('.gitlab-ci.yml', GITLAB_CI);
  files.set('.gitignore', 'node_modules/\n');
  files.set('tsconfig.json', TSCONFIG);
  files.set('README.md', readme(name, options.cloud));
  return files;
}

/** The starter files that already exist in `dir` (what `init` would overwrite). */
export function existingStarterFiles(dir: string, files: ReadonlyMap<string, string>): string[] {
  return [...files.keys()].filter((f) => fs.existsSync(path.join(dir, f)));
}

/** Writes the starter files into `dir` (created when missing). */
export function writeStarter(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [rel, content] of files) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => compareCodeUnits(a, b)));
}

const CDK8S_YAML = `language: typescript
app: npx tsx main.ts
output: dist
`;

const MAIN_TS = `// \`cdk8s synth\` runs this file: it writes the GitOps repository into dist/ (CDK8S_OUTDIR).
import { buildPlatform } from './platform';

buildPlatform().synth();
`;

/** What differs between the two starter platforms; the rest of `platform.ts` is shared. */
interface CloudParts {
  readonly storesAndState: string;
  readonly managementCloud: string;
  readonly argocd: string;
  readonly fleetCloud: string;
  readonly dnsProvider: string;
  readonly dnsExtra: string;
}

const CLOUD_PARTS: Record<StarterCloud, CloudParts> = {
  [StarterCloud.AZURE]: {
    storesAndState: `    secretStore: SecretStore.azureKeyVault({ vaultName: 'acme-platform', resourceGroupName: 'rg-platform' }),
    terraformBackend: TerraformBackend.azurerm({ resourceGroupName: 'rg-tfstate', storageAccountName: 'acmetfstate' }),`,
    managementCloud: `    cloud: Cloud.aks({
      location: 'westeurope',
      kubernetesVersion: '1.35',
      network: { cidr: '10.0.0.0/16' },
      // \`terraform apply\` installs Argo CD through this API: list your runners' egress ranges,
      // or use ApiAccess.private() when they run inside the cluster's network
      apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']),
      adminGroupObjectIds: ['00000000-0000-0000-0000-000000000001'],
    }),`,
    argocd: `    argocd: {
      adminGroups: ['00000000-0000-0000-0000-000000000001'],
      sso: Sso.entraId({ tenantId: '00000000-0000-0000-0000-0000000000aa', clientId: '00000000-0000-0000-0000-0000000000bb' }),
    },`,
    fleetCloud: `Cloud.aks({ location: 'westeurope', kubernetesVersion: '1.35', network: { cidr: '10.20.0.0/16' } })`,
    dnsProvider: 'AZURE',
    dnsExtra: `, azure: { subscriptionId: '00000000-0000-0000-0000-0000000000cc', resourceGroupName: 'rg-dns' }`,
  },
  [StarterCloud.AWS]: {
    storesAndState: `    secretStore: SecretStore.awsSecretsManager({ region: 'eu-west-1' }),
    terraformBackend: TerraformBackend.s3({ bucket: 'acme-platform-tfstate', region: 'eu-west-1' }),`,
    managementCloud: `    cloud: Cloud.eks({
      region: 'eu-west-1',
      kubernetesVersion: '1.35',
      network: { cidr: '10.10.0.0/16' },
      // \`terraform apply\` installs Argo CD through this API: list your runners' egress ranges,
      // or use ApiAccess.private() when they run inside the cluster's network
      apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24']),
      adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admins'],
    }),`,
    argocd: `    argocd: { adminGroups: ['platform-admins'], sso: Sso.oidc({ issuer: 'https://idp.acme.dev', clientId: 'argocd' }) },`,
    fleetCloud: `Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.35', network: { cidr: '10.20.0.0/16' } })`,
    dnsProvider: 'AWS',
    dnsExtra: '',
  },
};

/** `platform.ts` of a starter: a management cluster, a dev fleet cluster and a few catalog entries. */
function platformTs(cloud: StarterCloud): string {
  const c = CLOUD_PARTS[cloud];
  return `// The platform, declared once. Replace the example names, ranges and ids with yours.
import {
  AcmeSolver, ApiAccess, Catalog, Cloud, ExternalDnsProvider, FleetCluster, ManagementCluster, Platform, SecretStore, Sso, TerraformBackend,
} from 'cdk8s-gitops-platform';

export function buildPlatform(outdir?: string): Platform {
  const platform = new Platform({
    repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main' },
    domain: 'platform.acme.dev',
${c.storesAndState}
    outdir,
  });
  const stacks = { 'security-basic': 'enabled', 'core-basic': 'enabled' };
  const mgmt = new ManagementCluster(platform, 'mgmt', {
    labels: stacks,
${c.managementCloud}
${c.argocd}
  });
  // a fleet API admits the management cluster's egress addresses (read from its Terraform state)
  new FleetCluster(mgmt, 'dev', {
    environment: 'dev',
    cloud: ${c.fleetCloud},
    labels: stacks,
  });
  // external-dns gets its cloud identity from the library, allowed to write these zones only
  const [gateway] = Catalog.coreBasic(platform, { dns: { provider: ExternalDnsProvider.${c.dnsProvider}, domainFilters: ['platform.acme.dev']${c.dnsExtra} } });
  Catalog.certManager(platform, {
    acme: { email: 'platform@acme.dev', solver: AcmeSolver.http01Gateway({ gatewayName: 'public', gatewayNamespace: 'envoy-gateway-system' }) },
    dependsOn: [gateway],
  });
  Catalog.kyverno(platform);
  return platform;
}
`;
}

const TEST_TS = `// Unit tests of the platform, in memory: nothing is written and no cluster is needed.
import { describe, expect, it } from 'vitest';
import { expectCluster, expectPlatform, Testing } from 'cdk8s-gitops-platform';
import { buildPlatform } from '../platform';

describe('the platform', () => {
  const rendered = Testing.render(buildPlatform());

  it('runs cert-manager and Kyverno on the dev cluster', () => {
    expectCluster(rendered, 'dev').toRun('cert-manager');
    expectCluster(rendered, 'dev').toRun('kyverno');
  });

  it('keeps Secret data out of Git and references only files it writes', () => {
    expectPlatform(rendered).toHaveNoSecretData();
    expectPlatform(rendered).toReferenceOnlyExistingPaths();
  });

  it('gives each cluster its own Terraform state', () => {
    expect(rendered.cluster('mgmt').terraform).toBeDefined();
    expect(rendered.cluster('dev').terraform).toBeDefined();
  });
});
`;

const GITHUB_WORKFLOW = `# Install, test, synthesize, and fail when the committed dist/ differs from a fresh synth.
name: platform
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  platform:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm test
      - name: The committed output is what the code synthesizes
        run: npx cdk8s-gitops-platform check
`;

const GITLAB_CI = `# Install, test, synthesize, and fail when the committed dist/ differs from a fresh synth.
platform:
  image: node:20
  cache:
    key:
      files: [package-lock.json]
    paths: [.npm/]
  script:
    - npm ci --cache .npm --prefer-offline
    - npm test
    - npx cdk8s-gitops-platform check
`;

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "CommonJS",
    "strict": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["*.ts", "test/**/*.ts"]
}
`;

function readme(name: string, cloud: StarterCloud): string {
  return `# ${name}

Our Kubernetes platform on ${cloud === StarterCloud.AZURE ? 'Azure (AKS)' : 'AWS (EKS)'}, declared in \`platform.ts\` with
cdk8s-gitops-platform. \`dist/\` is the GitOps repository Argo CD and Terraform apply; it is
generated, committed, and checked in CI.

\`\`\`sh
npm install
npm test            # unit tests of the platform, in memory
npm run synth       # writes dist/
npm run check       # fails when dist/ differs from a fresh synth (what CI runs)
\`\`\`

Change \`platform.ts\`, run \`npm run synth\`, commit \`dist/\` with the change.

## Before the first \`terraform apply\`

- \`terraform apply\` of the management state installs Argo CD through the management cluster's
  API, from wherever it runs. In \`platform.ts\`, replace the example range \`203.0.113.0/24\` of
  \`apiAccess\` with your runners' egress ranges, or use \`ApiAccess.private()\` when they run
  inside the cluster's network.
- Apply \`dist/terraform/mgmt\` first, then \`dist/terraform/dev\`: the dev state reads the
  management state's \`egress_cidrs\` output (its API admits only those addresses) and identities.
`;
}
