import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StarterCloud, starterFiles } from '../src/starter/starter';
import { runCli } from './support/cli';
import { renderStarter, statesOf } from './support/platforms';

const own = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'starter-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('init', () => {
  it('scaffolds cdk8s.yaml, the platform, a unit test and both CI workflows', async () => {
    const dir = tmp();
    const r = await runCli(['init', 'acme-platform', '--cloud', 'aws'], dir);
    expect(r.code).toBe(0);
    const root = path.join(dir, 'acme-platform');
    const written = ['cdk8s.yaml', 'platform.ts', 'main.ts', 'test/platform.test.ts', '.github/workflows/platform.yml', '.gitlab-ci.yml', 'package.json', 'README.md'];
    for (const f of written) expect(fs.existsSync(path.join(root, f)), f).toBe(true);
    expect(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8')).toContain('app: npx tsx main.ts');
    expect(fs.readFileSync(path.join(root, 'platform.ts'), 'utf8')).toContain('Cloud.eks(');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('acme-platform');
    expect(r.out).toContain('Next: npm install && npm test && npm run synth');
  });

  it('pins every dependency to the versions this library is tested with', () => {
    const pkg = JSON.parse(starterFiles({ cloud: StarterCloud.AZURE }).get('package.json')!);
    expect(pkg.dependencies['cdk8s-gitops-platform']).toBe(`^${own.version}`);
    for (const [dep, range] of Object.entries<string>(own.peerDependencies)) {
      if (dep in pkg.dependencies) expect(pkg.dependencies[dep]).toBe(range.replace(/^\^/, ''));
    }
    for (const dep of ['cdk8s-cli', 'tsx', 'vitest']) expect(pkg.devDependencies[dep]).toBe(own.devDependencies[dep]);
  });

  it('installs only the Terraform providers of its cloud (the others are optional peers)', () => {
    const deps = (cloud: StarterCloud) => Object.keys(JSON.parse(starterFiles({ cloud }).get('package.json')!).dependencies).filter((d) => d.startsWith('@cdktf/'));
    // an AKS management state waits for the runner's role with hashicorp/time's time_sleep
    expect(deps(StarterCloud.AZURE)).toEqual(['@cdktf/provider-azurerm', '@cdktf/provider-helm', '@cdktf/provider-kubernetes', '@cdktf/provider-time']);
    expect(deps(StarterCloud.AWS)).toEqual(['@cdktf/provider-aws', '@cdktf/provider-helm', '@cdktf/provider-kubernetes']);
    for (const p of ['aws', 'azurerm', 'helm', 'kubernetes', 'vault', 'time']) expect(own.peerDependenciesMeta[`@cdktf/provider-${p}`]).toEqual({ optional: true });
  });

  it('gates CI on tests and on the committed output matching a fresh synth, on GitHub and GitLab', () => {
    const files = starterFiles({ cloud: StarterCloud.AZURE });
    for (const f of ['.github/workflows/platform.yml', '.gitlab-ci.yml']) {
      const text = files.get(f)!;
      expect(text).toContain('npm ci');
      expect(text).toContain('npm test');
      expect(text).toContain('npx cdk8s-gitops-platform check');
    }
  });

  it('declares where terraform apply reaches the management API, and its README says what to replace and in which order to apply', async () => {
    for (const cloud of [StarterCloud.AZURE, StarterCloud.AWS]) {
      const files = starterFiles({ cloud });
      const readme = files.get('README.md')!;
      expect(files.get('platform.ts')).toContain("apiAccess: ApiAccess.authorizedRanges(['203.0.113.0/24'])");
      expect(readme).toContain('replace the example range `203.0.113.0/24`');
      expect(readme).toContain('Apply `dist/terraform/mgmt` first, then `dist/terraform/dev`');
      // what the README says holds in the rendered states
      const states = statesOf(await renderStarter(cloud));
      expect([...states.keys()].sort()).toEqual(['dev', 'mgmt']);
      const mgmt = states.get('mgmt');
      const ranges = cloud === StarterCloud.AWS
        ? mgmt.resource.aws_eks_cluster.cluster.vpc_config.public_access_cidrs
        : mgmt.resource.azurerm_kubernetes_cluster.cluster.api_server_access_profile.authorized_ip_ranges;
      expect(ranges).toEqual(['203.0.113.0/24']);
      expect(mgmt.output.egress_cidrs).toBeDefined();
      const remote = states.get('dev').data.terraform_remote_state['management-state'];
      expect(JSON.stringify(remote.config)).toContain('mgmt.tfstate');
    }
  });

  it('refuses to overwrite existing files unless asked', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'main.ts'), '// mine\n');
    fs.writeFileSync(path.join(dir, 'package.json'), '{}\n');
    const r = await runCli(['init', '--cloud', 'azure'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: init would overwrite package.json, main.ts in .. Fix: run it in an empty folder, or pass --force to replace those files.\n');
    expect(fs.readFileSync(path.join(dir, 'main.ts'), 'utf8')).toBe('// mine\n');
    const forced = await runCli(['init', '--cloud', 'azure', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'main.ts'), 'utf8')).toContain('buildPlatform().synth()');
  });

  it('says where terraform apply must run to reach the management cluster\'s API, on both clouds', () => {
    for (const cloud of [StarterCloud.AZURE, StarterCloud.AWS]) {
      const ts = starterFiles({ cloud }).get('platform.ts')!;
      expect(ts).toContain("  // `terraform apply` installs Argo CD through this API: list your runners' egress ranges,\n      // or use ApiAccess.private() when they run inside the cluster's network\n      apiAccess: ApiAccess.authorizedRanges(");
    }
  });

  it('installs the library from a tarball packed in a checkout, by a path relative to the new repository', async () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'checkout'));
    fs.writeFileSync(path.join(dir, 'checkout', 'cdk8s-gitops-platform-0.1.0.tgz'), '');
    const r = await runCli(['init', 'my-platform', '--cloud', 'azure', '--library', './checkout/cdk8s-gitops-platform-0.1.0.tgz'], dir);
    expect(r.err).toBe('');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'my-platform', 'package.json'), 'utf8'));
    expect(pkg.dependencies['cdk8s-gitops-platform']).toBe('file:../checkout/cdk8s-gitops-platform-0.1.0.tgz');
    const missing = await runCli(['init', 'other', '--cloud', 'azure', '--library', './nothing.tgz'], dir);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`error: --library ./nothing.tgz: not found (looked for ${path.join(dir, 'nothing.tgz')}). Fix: run \`npm pack\` in the checkout first and pass the .tgz it wrote, or pass the checkout folder.\n`);
    expect(fs.existsSync(path.join(dir, 'other'))).toBe(false);
  });

  it('prints its version', async () => {
    const r = await runCli(['--version'], tmp());
    expect(r).toMatchObject({ code: 0, out: `${own.version}\n` });
  });

  it('asks for a cloud it knows', async () => {
    const r = await runCli(['init', '--cloud', 'gcp'], tmp());
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("option '--cloud <cloud>' argument 'gcp' is invalid. Allowed choices are azure, aws.");
  });
});
