// Inputs the clouds, Kubernetes and Argo CD would refuse or misapply on the first apply or sync,
// refused at declaration (or by the platform's rules) with the library's own error instead.
import { describe, expect, it } from 'vitest';
import {
  AddonIdentity, ArgoCdUi, ClusterSelector, FleetCluster, Group, HelmChart, ManagementCluster, NamespaceTenant, PlatformValidationError, ServiceCatalogEntry, TeamService, TenantVCluster,
} from '../src';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud } from './support/fixtures';
import { pinsRepo } from './support/pins';

const owners = Group.named('team-a');

/** The messages of what validate() finds, errors only. */
const errors = (p: { validate(): { path: string; message: string; severity?: string }[] }) =>
  p.validate().filter((x) => x.severity !== 'warning').map((x) => `[${x.path}] ${x.message}`);

describe('a tenant\'s namespace is its own', () => {
  it('refuses Kubernetes\' namespaces, Argo CD\'s on a management cluster and a catalog entry\'s on the host', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform);
    const fleet = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16') });
    new ServiceCatalogEntry(platform, 'monitoring', {
      chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'monitoring', version: '1.0.0' }), namespace: 'monitoring', targets: ClusterSelector.labels({}),
    });
    new NamespaceTenant(mgmt, 'argocd', { owners });
    new NamespaceTenant(fleet, 'kube-system', { owners });
    new NamespaceTenant(fleet, 'metrics', { owners, namespace: 'monitoring' });
    new NamespaceTenant(fleet, 'argocd-ok', { owners, namespace: 'argocd' });
    const found = errors(platform).filter((m) => m.includes(' uses namespace '));
    expect(found).toEqual([
      '[platform/mgmt/argocd] tenant "argocd" uses namespace "argocd" on host "mgmt", which runs the cluster\'s Argo CD: the tenant\'s default-deny NetworkPolicies, quota, limit range, Pod Security labels and the team\'s RoleBinding would apply to it. Fix: give the tenant a namespace of its own (the namespace prop, or another tenant name).',
      expect.stringMatching(/^\[platform\/mgmt\/dev\/kube-system\] tenant "kube-system" uses namespace "kube-system" on host "dev", which Kubernetes keeps for itself: /),
      expect.stringMatching(/^\[platform\/mgmt\/dev\/metrics\] tenant "metrics" uses namespace "monitoring" on host "dev", which catalog entry "monitoring" installs into: /),
    ]);
    // Argo CD's namespace is free on a fleet cluster: no error names argocd-ok
    expect(errors(platform).some((m) => m.includes('argocd-ok'))).toBe(false);
  });

  it('refuses a tenant whose API host is the host the platform exposes an Argo CD at (a hub\'s with its UI, a tenant\'s dedicated one); warns when Argo CD holds it by name only', () => {
    const exposed = awsPlatform();
    const hub = awsMgmt(exposed, { argocd: { adminGroups: ['platform-admins'], ui: ArgoCdUi.gateway() } });
    new TenantVCluster(hub, 'argocd', { owners });
    expect(errors(exposed).filter((m) => m.includes('serves its virtual cluster'))).toEqual([
      '[platform/mgmt/argocd] tenant "argocd" serves its virtual cluster\'s API at "argocd.platform.acme.dev", which is the Argo CD host of management cluster "mgmt": DNS and the Gateway would send one name to two services, and Argo CD would dial the wrong one. Fix: rename the tenant, or give the other one another hostname.',
    ]);
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform);
    new TenantVCluster(mgmt, 'argocd', { owners });
    new TenantVCluster(mgmt, 'x', { owners, argocd: {} });
    new TenantVCluster(mgmt, 'argocd-x', { owners: Group.named('team-x') });
    // a tenant's dedicated Argo CD is routed at its host on the shared Gateway: its listener would take the API's TLS
    expect(errors(platform).filter((m) => m.includes('serves its virtual cluster'))).toEqual([
      '[platform/mgmt/argocd-x] tenant "argocd-x" serves its virtual cluster\'s API at "argocd-x.platform.acme.dev", which is the host of tenant "x"\'s dedicated Argo CD: DNS and the Gateway would send one name to two services, and Argo CD would dial the wrong one. Fix: rename the tenant, or give the other one another hostname.',
    ]);
    const warned = platform.validate().filter((p) => p.severity === 'warning' && p.message.includes('serves its virtual cluster')).map((p) => `[${p.path}] ${p.message}`);
    expect(warned).toEqual([
      expect.stringContaining('[platform/mgmt/argocd] tenant "argocd" serves its virtual cluster\'s API at "argocd.platform.acme.dev", which is the Argo CD host of management cluster "mgmt": the platform does not expose that Argo CD'),
    ]);
  });
});

describe('names the vcluster chart, Kubernetes and the clouds derive', () => {
  it('a vCluster release name of at most 52 characters, starting with a letter', () => {
    const mgmt = awsMgmt(awsPlatform());
    expect(() => new TenantVCluster(mgmt, 'a'.repeat(44), { owners })).toThrow(/namespace \(the vCluster release name\): got "vcluster-a{44}"\. Allowed: at most 52 characters, starting with a letter/);
    expect(() => new TenantVCluster(mgmt, 'pay', { owners, namespace: '2024-payments' })).toThrow('e.g. "vc-2024-payments".');
    expect(() => new TenantVCluster(mgmt, 'a'.repeat(43), { owners })).not.toThrow();
  });

  it('a team service\'s name starts with a letter, and leaves room for "-migrate"', () => {
    const platform = awsPlatform({ environments: ['staging'] });
    const mgmt = awsMgmt(platform);
    const tenant = new TenantVCluster(mgmt, 'team-a', { owners });
    const root = pinsRepo({});
    const base = { team: 'team-a', image: 'ghcr.io/acme/x', port: 8080, environments: ['staging'], repositoryRoot: root };
    expect(() => new TeamService(tenant, '2fa', base)).toThrow('[platform/mgmt/team-a/2fa] name: got "2fa". Allowed: a DNS label that starts with a letter');
    const long = `s${'x'.repeat(55)}`;
    expect(() => new TeamService(tenant, long, { ...base, host: 'api.apps.platform.acme.dev', migration: { command: ['./migrate'] } }))
      .toThrow(`Allowed: at most 55 characters with a migration: the Job is named "<name>-migrate"`);
  });

  it('AKS: the DNS prefix and the node resource group AKS creates', () => {
    const mgmt = azureMgmt(azurePlatform());
    expect(() => new FleetCluster(mgmt, 'payments-production-westeurope', { environment: 'dev', cloud: aksCloud('10.20.0.0/16') })).toThrow(
      '[platform/mgmt/payments-production-westeurope] cluster name "payments-production-westeurope" is too long for the node resource group AKS creates: '
      + '"MC_rg-payments-production-westeurope_aks-payments-production-westeurope_westeurope" is 82 characters, and the cloud allows at most 80, so the first terraform apply would fail. '
      + 'Fix: shorten the cluster name (the name prop, or the construct id), or name a shorter resource group with cloud.resourceGroupName.');
    expect(() => new FleetCluster(mgmt, 'payments-production-westeu', { environment: 'dev', cloud: aksCloud('10.20.0.0/16', { resourceGroupName: 'rg-pay' }) })).not.toThrow();
    expect(() => new FleetCluster(mgmt, 'x'.repeat(55), { environment: 'dev', cloud: aksCloud('10.30.0.0/16', { resourceGroupName: 'rg' }) })).toThrow('is too long for the AKS DNS prefix');
  });

  it('EKS: the IAM roles named after the cluster, and a management cluster\'s own', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform);
    expect(() => new FleetCluster(mgmt, 'x'.repeat(53), { environment: 'dev', cloud: eksCloud('10.20.0.0/16') })).toThrow(/too long for the IAM role eks-<name>-cluster: "eks-x{53}-cluster" is 65 characters, and the cloud allows at most 64/);
    expect(() => new FleetCluster(mgmt, 'x'.repeat(52), { environment: 'dev', cloud: eksCloud('10.30.0.0/16') })).not.toThrow();
    expect(() => new ManagementCluster(awsPlatform(), 'm'.repeat(48), { cloud: eksCloud('10.10.0.0/16') })).toThrow('too long for the IAM role external-secrets-<name>');
    // an AKS management cluster's Argo CD assumes a role on each EKS fleet cluster, named after both
    const aksHub = new ManagementCluster(azurePlatform(), 'management-west', { cloud: aksCloud('10.0.0.0/16') });
    expect(() => new FleetCluster(aksHub, 'f'.repeat(45), { environment: 'dev', cloud: eksCloud('10.40.0.0/16') })).toThrow(/too long for the IAM role argocd-management-west-<name> \(its management cluster's name is part of it\): "argocd-management-west-f{45}" is 68 characters/);
    expect(() => new FleetCluster(aksHub, 'f'.repeat(41), { environment: 'dev', cloud: eksCloud('10.50.0.0/16') })).not.toThrow();
  });

  it('a sync wave Argo CD can read back', () => {
    const platform = awsPlatform();
    const entry = (syncWave: number) => () => new ServiceCatalogEntry(platform, `e${String(syncWave).length}`, {
      chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart: 'x', version: '1.0.0' }), namespace: 'x', targets: ClusterSelector.labels({}), syncWave,
    });
    expect(entry(1e21)).toThrow('syncWave: got 1e+21. Allowed: a whole number from -9007199254740991 to 9007199254740991');
    expect(entry(3_000_000_000)).not.toThrow();
    expect(entry(-5)).not.toThrow();
  });
});

it('the errors are the library\'s own', () => {
  expect(() => new TenantVCluster(awsMgmt(awsPlatform()), 'a'.repeat(44), { owners })).toThrow(PlatformValidationError);
});

describe('cloud names made of two names', () => {
  it('an add-on\'s IAM role names stay distinct when they are cut to 64 characters', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform);
    const a = 'payments-production-eu-west-1-cluster-a';
    const b = 'payments-production-eu-west-1-cluster-b';
    new FleetCluster(mgmt, 'a', { name: a, environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { backup: 'enabled' } });
    new FleetCluster(mgmt, 'b', { name: b, environment: 'dev', cloud: eksCloud('10.30.0.0/16'), labels: { backup: 'enabled' } });
    const identity = AddonIdentity.aws({ name: 'velero-backup-storage-operator', serviceAccount: 'velero', statements: [{ actions: ['s3:GetObject'], resources: ['arn:<partition>:s3:::acme-backups/*'] }] });
    new ServiceCatalogEntry(platform, 'velero', {
      chart: HelmChart.fromRepository({ repository: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '8.0.0' }),
      namespace: 'velero', targets: ClusterSelector.labels({ backup: 'enabled' }), identity,
    });
    const files = platform.render();
    const roles = [a, b].map((c) => Object.values<{ name: string }>(JSON.parse(files.get(`terraform/${c}/cdk.tf.json`)!).resource.aws_iam_role).map((r) => r.name).filter((n) => n.startsWith('velero-')));
    expect(roles.map((r) => r.length)).toEqual([1, 1]);
    expect(roles.flat().every((n) => n.length <= 64)).toBe(true);
    expect(roles[0][0]).not.toBe(roles[1][0]);
    expect(roles[0][0]).toMatch(/^velero-backup-storage-operator-payments-production-eu-w-[0-9a-f]{8}$/);
  });

  it('Azure Key Vault: repository credential keys Key Vault accepts', () => {
    const mgmt = azureMgmt(azurePlatform());
    const repositories = (credentialsKey: string) => [{ url: 'https://github.com/acme/team-b.git', credentialsKey }];
    expect(() => new NamespaceTenant(mgmt, 'team-b', { owners, repositories: repositories('git/acme_repo.creds') })).toThrow(
      '[platform/mgmt/team-b] repositories[0].credentialsKey: got "git/acme_repo.creds". Allowed: with Azure Key Vault, 1 to 118 letters, digits and "-"');
    expect(() => new NamespaceTenant(mgmt, 'team-c', { owners, repositories: repositories('git-acme-repo-creds') })).not.toThrow();
    // other stores take "/" (a path in Vault, a name in AWS Secrets Manager)
    expect(() => new NamespaceTenant(awsMgmt(awsPlatform()), 'team-b', { owners, repositories: repositories('git/acme_repo.creds') })).not.toThrow();
  });
});
