// Every rendered Terraform state of the examples, the starters and a mixed-cloud platform,
// through the real terraform CLI: `init -backend=false` with a local aws provider mirror, then
// `validate` (see test/support/terraform.ts for the two checks).
import { beforeAll, describe, expect, it } from 'vitest';
import { StarterCloud } from '../src/starter/starter';
import { aksHubWithEksFleets, crossStatePlatform, manyTenantsPlatform, mixedPlatform, renderExample, renderStarter, statesOf } from './support/platforms';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FleetCluster, ManagementCluster } from '../src';
import { aksCloud, awsPlatform, eksCloud, terraform } from './support/fixtures';
import { AwsMirror, findAwsMirror, runTerraform, StateResult, StateToCheck, terraformVersion, validateStates } from './support/terraform';

const version = terraformVersion();
const mirror: AwsMirror | undefined = version ? findAwsMirror() : undefined;
if (!version) console.log('terraform validate: SKIPPED, no terraform CLI on the PATH (CI has one)');
else if (!mirror) console.log(`terraform validate: terraform ${version}, no hashicorp/aws filesystem mirror found (TF_PLUGIN_DIR or Terraform's plugin directories): provider-less checks only`);

describe.skipIf(!version)('terraform init and validate on every rendered state', () => {
  const states: StateToCheck[] = [];
  let results: StateResult[] = [];

  beforeAll(async () => {
    const add = (platform: string, files: Map<string, string> | Record<string, string>) => {
      for (const [cluster, state] of statesOf(files)) states.push({ label: `${platform}/${cluster}`, state });
    };
    add('examples/azure', await renderExample('azure'));
    add('examples/aws', await renderExample('aws'));
    add('starter-azure', await renderStarter(StarterCloud.AZURE));
    add('starter-aws', await renderStarter(StarterCloud.AWS));
    add('mixed', mixedPlatform().render());
    add('aks-hub-two-eks', aksHubWithEksFleets().render());
    add('many-tenants', manyTenantsPlatform().render());
    // a state reading another's through the escape hatch: the reader's remote state and the output added to the state read from
    const across = statesOf(crossStatePlatform('cockpit-aks', 'eks-of-aks').platform.render());
    for (const cluster of ['cockpit-aks', 'eks-of-aks']) states.push({ label: `cross-state/${cluster}`, state: across.get(cluster) });
    results = validateStates(states, mirror);
    for (const r of results) {
      const errors = r.fullErrors.length + r.providerlessErrors.length;
      console.log(`terraform validate: ${r.label}: ${errors ? `${errors} errors` : 'ok'} (aws resources ${r.awsBlocks}${mirror ? '' : ' unchecked'}, provider-less ${r.providerlessErrors.length ? 'failed' : 'ok'})`);
    }
    const pins = [...new Set(results.map((r) => r.awsPin).filter((p): p is string => !!p))];
    if (mirror) {
      console.log(`terraform validate: terraform ${version}; states pin hashicorp/aws ${pins.join(', ')}, checked against the mirror's ${mirror.version}: `
        + 'arguments and resources that changed between the two (added, renamed or removed in the newer major) are not checked by this run');
    }
  }, 240_000);

  it('covers both examples, both starters and the mixed platform, cockpits and fleets of both clouds', () => {
    const labels = states.map((s) => s.label);
    expect(labels).toEqual(expect.arrayContaining([
      'examples/azure/mgmt', 'examples/azure/dev-eu', 'examples/azure/prod-us',
      'examples/aws/mgmt', 'examples/aws/dev', 'examples/aws/staging', 'examples/aws/prod', 'examples/aws/prod-azure',
      'starter-azure/mgmt', 'starter-azure/dev', 'starter-aws/mgmt', 'starter-aws/dev',
      'mixed/cockpit-aks', 'mixed/eks-of-aks', 'mixed/aks-of-aks', 'mixed/cockpit-eks', 'mixed/aks-of-eks', 'mixed/eks-of-eks',
      'cross-state/cockpit-aks', 'cross-state/eks-of-aks',
      'aks-hub-two-eks/hub', 'aks-hub-two-eks/eks-eu', 'aks-hub-two-eks/eks-us',
      'many-tenants/mgmt', 'many-tenants/dev',
    ]));
    // what the checks cover: the remote state of reachability, add-on identities of every kind
    const state = (label: string) => states.find((s) => s.label === label)!.state;
    expect(state('mixed/aks-of-eks').data.terraform_remote_state['management-state'].backend).toBe('s3');
    // an S3 state locks with use_lockfile, which Terraform reads from 1.10 on: the state says so (validated below with this Terraform)
    expect(state('examples/aws/mgmt').terraform).toMatchObject({ required_version: '>= 1.10', backend: { s3: { use_lockfile: true } } });
    expect(state('mixed/aks-of-eks').resource.vault_jwt_auth_backend).toBeDefined();
    expect(Object.keys(state('cross-state/eks-of-aks').data.terraform_remote_state)).toContain('cross-stack-reference-input-cockpit-aks');
    expect(Object.keys(state('cross-state/cockpit-aks').output).some((o) => o.startsWith('cross-stack-output-'))).toBe(true);
    expect(state('mixed/cockpit-aks').resource.vault_jwt_auth_backend['addon-external-secrets-vault-auth'].path).toBe('jwt-cockpit-aks');
    expect(state('examples/aws/prod-azure').resource.aws_iam_openid_connect_provider['aws-trusts-cluster-issuer']).toBeDefined();
    expect(state('examples/azure/prod-us').resource.azurerm_federated_identity_credential['addon-external-secrets-federation']).toBeDefined();
    // tenants' push grants past a role's inline policies: managed policies attached to the role
    expect(Object.keys(state('many-tenants/mgmt').resource.aws_iam_policy).filter((id) => id.startsWith('external-secrets-tenant-push-')).length).toBeGreaterThan(1);
    expect(Object.keys(state('many-tenants/dev').resource.aws_iam_policy).filter((id) => id.startsWith('addon-external-secrets-policy-')).length).toBeGreaterThan(1);
    // an AKS cockpit's state creates the IAM OIDC provider for its issuer (with an AWS provider), its EKS fleets look it up
    for (const hub of ['mixed/cockpit-aks', 'aks-hub-two-eks/hub']) expect(state(hub).resource.aws_iam_openid_connect_provider['aws-trusts-cluster-issuer']).toBeDefined();
    for (const fleet of ['mixed/eks-of-aks', 'aks-hub-two-eks/eks-eu', 'aks-hub-two-eks/eks-us']) expect(state(fleet).data.aws_iam_openid_connect_provider['management-issuer']).toBeDefined();
  });

  it('every state passes the provider-less check (JSON, expressions, functions, references)', () => {
    const failed = results.filter((r) => r.providerlessErrors.length).map((r) => `${r.label}:\n  ${r.providerlessErrors.join('\n  ')}`);
    expect(failed).toEqual([]);
  });

  it.skipIf(!mirror)('every state with aws resources passes full validation against the aws provider schema', () => {
    const failed = results.filter((r) => r.fullErrors.length).map((r) => `${r.label}:\n  ${r.fullErrors.join('\n  ')}`);
    expect(failed).toEqual([]);
    // EKS states have their aws blocks checked (not an empty copy)
    expect(results.find((r) => r.label === 'examples/aws/dev')!.awsBlocks).toBeGreaterThan(30);
    expect(results.find((r) => r.label === 'examples/azure/prod-us')!.awsBlocks).toBeGreaterThan(30);
  });

  it('rejects a state Terraform cannot parse, and a reference to a block that does not exist', () => {
    const base = states.find((s) => s.label === 'examples/azure/dev-eu')!.state;
    const broken = JSON.parse(JSON.stringify(base));
    broken.output.cluster_id.value = '${azurerm_kubernetes_cluster.nope.id}';
    const unparsable = JSON.parse(JSON.stringify(base));
    unparsable.output.cluster_id.value = '${jsonencode({"a:b" = undefined)}';
    const [ref, parse] = validateStates([{ label: 'ref', state: broken }, { label: 'parse', state: unparsable }], undefined);
    expect(ref.providerlessErrors.join('\n')).toContain('Reference to undeclared input variable');
    expect(parse.providerlessErrors.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!version)('deletion protection, as terraform reads it', () => {
  const clusterLifecycles = (deletionProtection?: boolean) => {
    const mgmt = new ManagementCluster(awsPlatform(), 'mgmt', { cloud: eksCloud('10.10.0.0/16'), ...(deletionProtection === undefined ? {} : { deletionProtection }) });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), ...(deletionProtection === undefined ? {} : { deletionProtection }) });
    const files = mgmt.platform.render();
    return [terraform(files, 'mgmt').resource.aws_eks_cluster.cluster.lifecycle, terraform(files, 'dev').resource.azurerm_kubernetes_cluster.cluster.lifecycle];
  };

  /** `terraform plan -destroy` of a built-in resource created with this lifecycle block: its exit status and output. */
  const destroyPlan = (lifecycle: unknown) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-destroy-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: { cluster: { input: 'cluster', ...(lifecycle ? { lifecycle } : {}) } } } }));
      for (const args of [['init', '-input=false', '-no-color'], ['apply', '-auto-approve', '-input=false', '-no-color']]) {
        const r = runTerraform(dir, args);
        expect([args[0], r.status, r.stderr]).toEqual([args[0], 0, '']);
      }
      const plan = runTerraform(dir, ['plan', '-destroy', '-input=false', '-no-color']);
      return { status: plan.status, output: plan.stdout + plan.stderr };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('by default, the AKS and EKS cluster resources carry a lifecycle block with which terraform refuses a destroy plan (shown on a resource terraform builds in, with that very block)', () => {
    const lifecycles = clusterLifecycles();
    expect(lifecycles).toEqual([{ prevent_destroy: true }, { prevent_destroy: true }]);
    const refused = destroyPlan(lifecycles[0]);
    expect(refused.status).toBe(1);
    expect(refused.output).toContain('Instance cannot be destroyed');
    // deletionProtection: false takes it off, and the destroy is planned
    const off = clusterLifecycles(false);
    expect(off).toEqual([undefined, undefined]);
    const planned = destroyPlan(off[0]);
    expect([planned.status, planned.output]).toEqual([0, expect.stringContaining('1 to destroy')]);
  });
});
