// The examples as users run them (their main.ts, in their folder), and the golden path of a
// team service in examples/aws: rendered, validated, promoted and rendered again.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTree } from './support/tree';
import { runCli } from './support/cli';
import { HAS_SCHEMAS, crdErrors } from './support/schemas';

const root = path.resolve(__dirname, '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs an example's main.ts from `dir` (its folder, or a copy of it) into a fresh output folder. */
function synth(dir: string, out: string): Record<string, string> {
  execFileSync(process.execPath, [tsx, 'main.ts'], { cwd: dir, env: { ...process.env, CDK8S_OUTDIR: out }, encoding: 'utf8', stdio: 'pipe' });
  return readTree(out);
}

describe('examples/aws: a team service on the golden path', () => {
  const project = path.join(tmp, 'aws');
  fs.cpSync(path.join(root, 'examples', 'aws'), project, { recursive: true, filter: (src) => !src.includes(`${path.sep}dist`) });
  // the example imports ../../src: keep that path valid from the copy
  fs.symlinkSync(path.join(root, 'src'), path.join(tmp, 'src'), 'dir');
  fs.writeFileSync(path.join(project, 'main.ts'), fs.readFileSync(path.join(project, 'main.ts'), 'utf8').replace("from '../../src'", "from '../src'"));
  const out = path.join(project, 'dist');
  const files = synth(project, out);
  const obj = (f: string) => {
    expect(files[f], f).toBeDefined();
    return parse(files[f]);
  };

  it('renders the service per environment into its tenant, behind HTTPS on the shared Gateway', () => {
    for (const [tenant, host] of [['team-a-staging', 'checkout-team-a-staging.apps.platform.acme.dev'], ['team-a-prod', 'checkout-team-a.apps.platform.acme.dev']]) {
      const dir = `tenants/${tenant}/services/checkout`;
      expect(Object.keys(files).filter((f) => f.startsWith(`${dir}/`)).sort()).toEqual(
        ['deployment', 'horizontalpodautoscaler', 'httproute', 'poddisruptionbudget', 'service'].map((k) => `${dir}/${k}-checkout.yaml`));
      const route = obj(`${dir}/httproute-checkout.yaml`);
      expect(route.spec.hostnames).toEqual([host]);
      expect(route.spec.parentRefs).toEqual([{ name: 'public', namespace: 'envoy-gateway-system', sectionName: 'https' }]);
      if (HAS_SCHEMAS) expect(crdErrors(route)).toEqual([]);
    }
    expect(obj('tenants/team-a-prod/services/checkout/deployment-checkout.yaml').spec.template.spec.containers[0].image).toBe('ghcr.io/acme/checkout:1.4.2-3f9c2ab');
    // delivered by the tenant's ApplicationSet in the management cluster
    expect(obj('clusters/mgmt/argocd/applicationset-tenant-team-a-prod-services.yaml').spec.template.spec.destination.name).toBe('vc-team-a-prod');
  });

  it('issues the wildcard certificate through a DNS-01 solver (Route 53)', () => {
    const listener = obj('catalog/envoy-gateway/manifests/all/gateway-public.yaml').spec.listeners.find((l: any) => l.name === 'https');
    expect(listener.hostname).toBe('*.apps.platform.acme.dev');
    const cert = obj('catalog/envoy-gateway/manifests/all/certificate-public-apps-tls.yaml');
    expect(cert.spec).toMatchObject({ dnsNames: ['*.apps.platform.acme.dev'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-production' } });
    const issuers = Object.keys(files).filter((f) => f.startsWith('catalog/cert-manager/manifests/') && f.includes('clusterissuer-letsencrypt-production'));
    expect(issuers.length).toBeGreaterThan(0);
    for (const f of issuers) {
      const issuer = obj(f);
      expect(issuer.spec.acme.solvers).toEqual([{ dns01: { route53: { region: 'eu-west-1', hostedZoneID: 'Z0123456789ABC' } } }]);
      if (HAS_SCHEMAS) expect(crdErrors(issuer)).toEqual([]);
    }
    if (HAS_SCHEMAS) expect(crdErrors(cert)).toEqual([]);
    else console.log('examples: ../shared/schemas not found, CRD validation skipped');
  });

  it('promotes staging to prod with the command line, and the next synth rolls prod forward', async () => {
    const r = await runCli(['promote', 'team-a/checkout', '--from', 'staging', '--to', 'prod'], project);
    expect(r.err).toBe('');
    expect(r.out).toContain('promoted team-a/checkout from staging to prod: services/team-a/checkout/prod.json now pins 1.5.0-8d1e2f3');
    const after = synth(project, out);
    expect(parse(after['tenants/team-a-prod/services/checkout/deployment-checkout.yaml']).spec.template.spec.containers[0].image).toBe('ghcr.io/acme/checkout:1.5.0-8d1e2f3');
    const changed = Object.keys(after).filter((f) => after[f] !== files[f]).sort();
    expect(changed.filter((f) => !['PLATFORM.md', 'platform.json'].includes(f))).toEqual(['tenants/team-a-prod/services/checkout/deployment-checkout.yaml']);
  });
});
