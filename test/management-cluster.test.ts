import { Testing } from 'cdktf';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { Release } from '@cdktf/provider-helm/lib/release';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ApiAccess, ARGO_CD_CHART, FleetCluster, Group, ManagementCluster, Sso, TaintEffect, TenantVCluster } from '../src';
import { aksCloud, expectResource, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud, manifests, terraform } from './support/fixtures';
import { modelOf } from './support/models';
import { argoCdChartValues, argoCdParamsKeys, crdErrors, isCustomResource, HAS_SCHEMAS } from './support/schemas';

describe('ManagementCluster on Azure', () => {
  it('writes the root Application, the platform AppProject and the self-managing Argo CD Application', () => {
    const mgmt = azureMgmt();
    const files = mgmt.platform.render();
    expect([...files.keys()]).toEqual([
      'PLATFORM.md',
      'clusters/mgmt/_cluster/clustersecretstore-platform.yaml',
      'clusters/mgmt/argocd/application-argo-cd.yaml',
      'clusters/mgmt/argocd/application-external-secrets.yaml',
      'clusters/mgmt/argocd/application-root.yaml',
      'clusters/mgmt/argocd/appproject-platform.yaml',
      'platform.json',
      'terraform/mgmt/cdk.tf.json',
    ]);
    const root = parse(files.get('clusters/mgmt/argocd/application-root.yaml')!);
    expect(root.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(root.spec).toEqual({
      project: 'platform',
      source: { repoURL: 'https://github.com/acme/platform-gitops.git', targetRevision: 'main', path: 'dist/clusters/mgmt', directory: { recurse: true } },
      destination: { name: 'mgmt', namespace: 'argocd' },
      // retried: a failed first apply (a CRD a child Application installs) is not final
      syncPolicy: { automated: { prune: true, selfHeal: true }, retry: { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } },
    });
  });

  it('never uses the default project and never allows a wildcard source', () => {
    const files = azureMgmt().platform.render();
    for (const { obj } of manifests(files)) {
      if (obj.kind === 'Application') expect(obj.spec.project).toBe('platform');
      if (obj.kind === 'AppProject') expect(obj.spec.sourceRepos).not.toContain('*');
    }
  });

  it('hardens Argo CD: local admin off, no default role (a team sees its own projects only), admin groups, OIDC with PKCE, HA', () => {
    const files = azureMgmt().platform.render();
    const app = parse(files.get('clusters/mgmt/argocd/application-argo-cd.yaml')!);
    const src = app.spec.sources[0];
    expect(src).toMatchObject({ repoURL: ARGO_CD_CHART.repoURL, chart: 'argo-cd', targetRevision: ARGO_CD_CHART.version });
    const v = src.helm.valuesObject;
    expect(v.configs.cm['admin.enabled']).toBe(false);
    expect(v.configs.rbac['policy.default']).toBe('');
    expect(v.configs.rbac['policy.csv']).toBe('g, platform-admins, role:admin\n');
    // YAML text, as Argo CD reads the key (the chart writes a map as Go's map[...] text)
    expect(typeof v.configs.cm['oidc.config']).toBe('string');
    expect(parse(v.configs.cm['oidc.config'])).toMatchObject({ issuer: 'https://idp.acme.dev', clientID: 'argocd', enablePKCEAuthentication: true });
    expect(parse(v.configs.cm['oidc.config'])).not.toHaveProperty('clientSecret');
    expect(v['redis-ha'].enabled).toBe(true);
    expect(v.server).toMatchObject({ replicas: 2 });
    expect(v.server).not.toHaveProperty('autoscaling');
    // the management cluster registers itself, labelled, without credentials
    expect(v.configs.clusterCredentials.mgmt).toEqual({
      server: 'https://kubernetes.default.svc',
      labels: { 'environment': 'prod', 'cloud': 'azure', 'region': 'westeurope', 'kubernetes-version': '1.35', 'cluster_name': 'mgmt', 'platform-role': 'management' },
      config: { tlsClientConfig: { insecure: false } },
    });
    expect(app.metadata.finalizers).toBeUndefined();
  });

  it('binds read-only groups to role:readonly explicitly (no default role: Argo CD would grant it to every signed-in user)', () => {
    const mgmt = azureMgmt(azurePlatform(), { argocd: { adminGroups: ['platform-admins'], readOnlyGroups: ['sre-oncall'] } });
    const rbac = (mgmt.argoCdValues as any).configs.rbac;
    expect(rbac['policy.default']).toBe('');
    expect(rbac['policy.csv']).toBe('g, platform-admins, role:admin\ng, sre-oncall, role:readonly\n');
    expect(() => azureMgmt(azurePlatform(), { argocd: { readOnlyGroups: ['sre,oncall'] } })).toThrow('[platform/mgmt] argocd.readOnlyGroups: got ["sre,oncall"]. Allowed: group names without commas');
  });

  it('uses Azure workload identity for Entra ID SSO', () => {
    const platform = azurePlatform();
    const mgmt = new ManagementCluster(platform, 'mgmt', {
      cloud: aksCloud(),
      argocd: { sso: Sso.entraId({ tenantId: 'tenant-1', clientId: 'client-1' }), highAvailability: false },
    });
    const v = mgmt.argoCdValues as any;
    expect(parse(v.configs.cm['oidc.config'])).toMatchObject({ issuer: 'https://login.microsoftonline.com/tenant-1/v2.0', azure: { useWorkloadIdentity: true } });
    expect(v.server.serviceAccount.annotations['azure.workload.identity/client-id']).toBe('client-1');
    expect(v['redis-ha'].enabled).toBe(false);
  });

  it('refuses Entra ID SSO on an EKS management cluster: no workload identity webhook projects the token Argo CD signs in with', () => {
    let message = 'no error';
    try {
      awsMgmt(awsPlatform(), { argocd: { adminGroups: ['platform-admins'], sso: Sso.entraId({ tenantId: 'tenant-1', clientId: 'client-1' }) } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('[platform/mgmt] argocd.sso: got Sso.entraId (tenant "tenant-1", client "client-1") on an EKS management cluster. '
      + 'Allowed: Sso.entraId on an AKS management cluster only: Argo CD signs in to Entra ID with the token Azure\'s workload identity webhook projects into its server pod, and EKS runs no such webhook, so nobody could log in. '
      + 'Fix: use Entra ID as a plain OIDC provider with PKCE, Sso.oidc({ name: "Entra ID", issuer: "https://login.microsoftonline.com/tenant-1/v2.0", clientId: "client-1" }) (its app registration a public client), or run the management cluster on AKS.');
    // the same provider as plain OIDC is accepted
    expect(() => awsMgmt(awsPlatform(), { argocd: { adminGroups: ['platform-admins'], sso: Sso.oidc({ name: 'Entra ID', issuer: 'https://login.microsoftonline.com/tenant-1/v2.0', clientId: 'client-1' }) } })).not.toThrow();
  });

  it('refuses group names Argo CD\'s RBAC cannot read: a double quote fails the whole policy.csv, tabs and carriage returns its AppProject check', () => {
    const refusal = (groups: string[]) => {
      try {
        awsMgmt(awsPlatform(), { argocd: { adminGroups: groups } });
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(refusal(['platform-admins', 'Platform Admins (EU)', 'a2c4e6f8-0000-0000-0000-000000000001'])).toBe('no error');
    for (const bad of ['a"b', 'a,b', 'a\tb', 'a\rb', 'a\nb']) {
      expect(refusal([bad])).toMatch(/^\[platform\/mgmt\] argocd\.adminGroups: got \[.*\]\. Allowed: group names without commas, double quotes, tabs or line breaks \(Argo CD reads its RBAC policy as CSV\)\. Fix: /);
    }
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform);
    expect(() => new TenantVCluster(mgmt, 'team-q', { owners: Group.anyOf(['team-q', 'team "q"']) })).toThrow(
      '[platform/mgmt/team-q] owners: got "team \\"q\\"". Allowed: a group name without commas, double quotes, tabs or line breaks (Argo CD reads its RBAC policy as CSV, and its AppProject check refuses those in role groups). Fix: use the group name or object id as the identity provider sends it.');
  });

  it('gives an EKS management cluster the 3 nodes Argo CD\'s high availability needs, and refuses fewer', () => {
    const systemMin = (m: ManagementCluster) => JSON.parse(Testing.synth(m.stack)).resource.aws_eks_node_group['system-node-group'].scaling_config;
    const eks = (extra: Partial<Parameters<typeof eksCloud>[1]>) => eksCloud('10.10.0.0/16', { apiAccess: ApiAccess.private(), ...extra });
    expect(systemMin(awsMgmt())).toEqual({ min_size: 3, desired_size: 3, max_size: 5 });
    expect(systemMin(awsMgmt(awsPlatform(), { argocd: { adminGroups: ['a'], highAvailability: false } }))).toEqual({ min_size: 2, desired_size: 2, max_size: 5 });
    // another pool ordinary workloads run on counts too
    expect(() => awsMgmt(awsPlatform(), { cloud: eks({ systemNodePool: { minCount: 2 }, nodePools: [{ name: 'work', minCount: 1 }] }) })).not.toThrow();
    const refusal = (extra: Partial<Parameters<typeof eksCloud>[1]>) => {
      try {
        awsMgmt(awsPlatform(), { cloud: eks(extra) });
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    };
    const why = ', and Argo CD\'s high availability needs 3: the argo-cd chart runs 3 Redis and 3 HAProxy replicas with required anti-affinity (one per node), nothing scales an EKS node group by itself, and the bootstrap\'s helm release waits for them. '
      + 'Fix: set cloud.systemNodePool.minCount (and maxCount) to at least 3, add an untainted node pool, or set argocd.highAvailability to false.';
    expect(refusal({ systemNodePool: { minCount: 2 } })).toBe(`[platform/mgmt] cloud.systemNodePool: the EKS management cluster starts with 2 node(s) ordinary workloads can run on${why}`);
    // a tainted pool takes no Argo CD pod
    expect(refusal({ systemNodePool: { minCount: 2 }, nodePools: [{ name: 'gpu', minCount: 2, taints: [{ key: 'gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE }] }] }))
      .toBe(`[platform/mgmt] cloud.systemNodePool: the EKS management cluster starts with 2 node(s) ordinary workloads can run on${why}`);
    expect(refusal({ systemNodePool: { maxCount: 2 } })).toBe(`[platform/mgmt] cloud.systemNodePool: the EKS management cluster caps its system node group at maxCount 2${why}`);
  });

  it('on AKS, refuses HA Argo CD when the pools ordinary workloads run on cannot scale to 3 nodes (the system pool runs critical add-ons only, Spot pools are tainted)', () => {
    const mgmt = (nodePools?: any[], highAvailability = true) => () => azureMgmt(azurePlatform(), { cloud: aksCloud('10.0.0.0/16', { nodePools }), argocd: { adminGroups: ['a'], highAvailability } });
    const why = ', and Argo CD\'s high availability needs 3: the argo-cd chart runs 3 Redis and 3 HAProxy replicas with required anti-affinity (one per node), so the last stay Pending and the bootstrap\'s helm release times out. '
      + 'Fix: raise the maxCount of an untainted pool (or add one) so they reach at least 3 nodes, or set argocd.highAvailability to false.';
    const refused = (n: number) => `[platform/mgmt] cloud.nodePools: the AKS management cluster's pools that ordinary workloads run on (untainted, not Spot; the system pool runs critical add-ons only) scale to ${n} node(s) at most${why}`;
    // the default user pool scales to 10
    expect(mgmt()).not.toThrow();
    expect(mgmt([{ name: 'work', minCount: 1, maxCount: 2 }])).toThrow(refused(2));
    // a Spot pool and a tainted pool take no Argo CD pod
    expect(mgmt([{ name: 'work', minCount: 1, maxCount: 2 }, { name: 'spot', spot: true, maxCount: 10 }, { name: 'gpu', maxCount: 10, taints: [{ key: 'gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE }] }])).toThrow(refused(2));
    expect(mgmt([{ name: 'work', minCount: 1, maxCount: 2 }, { name: 'more', minCount: 1, maxCount: 1 }])).not.toThrow();
    expect(mgmt([{ name: 'work', minCount: 1, maxCount: 2 }], false)).not.toThrow();
  });

  it('provisions AKS with workload identity, Entra ID RBAC, no local accounts and restricted API access', () => {
    const mgmt = azureMgmt();
    const synth = Testing.synth(mgmt.stack);
    expectResource(synth, KubernetesCluster, {
      kubernetes_version: '1.35',
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      local_account_disabled: true,
      private_cluster_enabled: false,
      api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24'] },
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true, admin_group_object_ids: ['00000000-0000-0000-0000-000000000001'] },
      network_profile: { network_plugin: 'azure', service_cidr: '172.16.0.0/16' },
      tags: { 'managed-by': 'cdk8s-gitops-platform', 'cluster': 'mgmt', 'environment': 'prod' },
    });
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    // node subnet wired to the system pool
    expect(tf.resource.azurerm_kubernetes_cluster.cluster.default_node_pool.vnet_subnet_id).toBe('${azurerm_subnet.node-subnet.id}');
    expect(tf.resource.azurerm_subnet['node-subnet'].address_prefixes).toEqual(['10.0.0.0/17']);
    expect(tf.terraform.backend.azurerm).toEqual({
      resource_group_name: 'rg-tfstate', storage_account_name: 'acmetfstate', container_name: 'tfstate', key: 'mgmt.tfstate', use_azuread_auth: true,
    });
  });

  it('defaults to a private API server', () => {
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', { cloud: aksCloud() });
    expectResource(Testing.synth(mgmt.stack), KubernetesCluster, { private_cluster_enabled: true });
  });

  it('adds user node pools with taints and spot capacity', () => {
    const mgmt = new ManagementCluster(azurePlatform(), 'mgmt', {
      cloud: aksCloud('10.0.0.0/16', { nodePools: [{ name: 'general' }, { name: 'spot', spot: true, taints: [{ key: 'tenant', value: 'a', effect: 'NoSchedule' as any }] }] }),
    });
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    expect(tf.resource.azurerm_kubernetes_cluster_node_pool['node-pool-spot']).toMatchObject({
      name: 'spot', mode: 'User', priority: 'Spot', vnet_subnet_id: '${azurerm_subnet.node-subnet.id}',
    });
    // the label and taint AKS puts on a Spot pool's nodes are declared too (else every plan replaces the pool)
    expect(tf.resource.azurerm_kubernetes_cluster_node_pool['node-pool-spot'].node_taints).toEqual(['tenant=a:NoSchedule', 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
    expect(tf.resource.azurerm_kubernetes_cluster_node_pool['node-pool-spot'].node_labels).toEqual({ 'kubernetes.azure.com/scalesetpriority': 'spot' });
  });

  it('bootstraps Argo CD and the root Application with one apply, then leaves them to Git', () => {
    const mgmt = azureMgmt();
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    const argocd = tf.resource.helm_release.argocd;
    expect(argocd).toMatchObject({ chart: 'argo-cd', version: ARGO_CD_CHART.version, namespace: 'argocd', lifecycle: { ignore_changes: 'all' } });
    // the bootstrap installs the very values Argo CD later manages itself with
    expect(parse(argocd.values[0])).toEqual(mgmt.argoCdValues);
    const apps = parse(tf.resource.helm_release['argocd-apps'].values[0]);
    expect(apps.applications.root.source.path).toBe('dist/clusters/mgmt');
    expect(apps.projects.platform.sourceRepos).toEqual(['https://github.com/acme/platform-gitops.git', ARGO_CD_CHART.repoURL, 'https://charts.external-secrets.io']);
    expect(tf.provider.helm[0].kubernetes.exec).toEqual({
      api_version: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'],
    });
    expectResource(Testing.synth(mgmt.stack), Release, {});
  });
});

describe('ManagementCluster on AWS', () => {
  it('provisions EKS with a VPC across zones, tagged subnets, access entries and IRSA', () => {
    const mgmt = awsMgmt();
    const synth = Testing.synth(mgmt.stack);
    expectResource(synth, EksCluster, {
      name: 'mgmt',
      version: '1.35',
      access_config: { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: true },
      vpc_config: { endpoint_public_access: false, endpoint_private_access: true },
      encryption_config: { resources: ['secrets'] },
    });
    expectResource(synth, EksAccessEntry, { principal_arn: 'arn:aws:iam::123456789012:role/platform-admins' });
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    const subnets = tf.resource.aws_subnet;
    expect(Object.keys(subnets).sort()).toEqual(['private-subnet-0', 'private-subnet-1', 'private-subnet-2', 'public-subnet-0', 'public-subnet-1', 'public-subnet-2']);
    expect(subnets['private-subnet-0']).toMatchObject({ cidr_block: '10.10.0.0/18', tags: { 'kubernetes.io/role/internal-elb': '1' } });
    expect(subnets['public-subnet-2']).toMatchObject({ cidr_block: '10.10.208.0/21', tags: { 'kubernetes.io/role/elb': '1' } });
    const cidrs = Object.values(subnets).map((s: any) => s.cidr_block);
    expect(new Set(cidrs).size).toBe(6);
    // node groups in the private subnets only
    const ng = tf.resource.aws_eks_node_group['system-node-group'];
    expect(ng.subnet_ids).toEqual(['${aws_subnet.private-subnet-0.id}', '${aws_subnet.private-subnet-1.id}', '${aws_subnet.private-subnet-2.id}']);
    expect(tf.resource.aws_iam_openid_connect_provider.irsa.client_id_list).toEqual(['sts.amazonaws.com']);
    expect(tf.resource.aws_eks_addon['pod-identity-agent'].addon_name).toBe('eks-pod-identity-agent');
    expect(tf.terraform.backend.s3).toEqual({ bucket: 'acme-tfstate', region: 'eu-west-1', key: 'platform/mgmt.tfstate', encrypt: true, use_lockfile: true });
    expect(tf.provider.helm[0].kubernetes.exec.args).toEqual(['eks', 'get-token', '--cluster-name', 'mgmt', '--region', 'eu-west-1']);
    expect(tf.provider.aws[0].default_tags[0].tags).toEqual({ 'managed-by': 'cdk8s-gitops-platform', 'cluster': 'mgmt', 'environment': 'prod' });
  });

  it('opens a private endpoint to its VPC (EKS\'s own security group admits itself only), and to the management network of a connected private fleet; Argo CD\'s release waits for it', () => {
    const mgmt = awsMgmt();
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16', { apiAccess: ApiAccess.privateConnected() }) });
    const files = mgmt.platform.render();
    const rules = (name: string) => Object.values<any>(terraform(files, name).resource.aws_vpc_security_group_ingress_rule ?? {})
      .map((r) => [r.security_group_id, r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]);
    const clusterGroup = '${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}';
    // the runner of the first apply runs inside the VPC (docs/bootstrap.md)
    expect(rules('mgmt')).toEqual([[clusterGroup, 'tcp', 443, 443, '10.10.0.0/16']]);
    // Argo CD reaches the fleet's private endpoint from the management cluster's network
    expect(rules('dev')).toEqual([[clusterGroup, 'tcp', 443, 443, '10.20.0.0/16'], [clusterGroup, 'tcp', 443, 443, '10.10.0.0/16']]);
    expect(terraform(files, 'mgmt').resource.helm_release.argocd.depends_on).toEqual(expect.arrayContaining(['aws_vpc_security_group_ingress_rule.api-ingress-0']));
    // a public endpoint gets none
    const open = awsMgmt(undefined, { cloud: eksCloud('10.10.0.0/16', { apiAccess: ApiAccess.authorizedRanges(['198.51.100.0/24']) }) });
    expect(terraform(open.platform.render(), 'mgmt').resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it('limits a public endpoint to the authorized ranges', () => {
    const mgmt = awsMgmt(undefined, { cloud: eksCloud('10.10.0.0/16', { apiAccess: ApiAccess.authorizedRanges(['198.51.100.0/24']), availabilityZoneCount: 2 }) });
    expectResource(Testing.synth(mgmt.stack), EksCluster, {
      vpc_config: { endpoint_public_access: true, public_access_cidrs: ['198.51.100.0/24'] },
    });
    const tf = terraform(mgmt.platform.render(), 'mgmt');
    expect(Object.keys(tf.resource.aws_subnet)).toHaveLength(4);
  });
});

// argocd-cm keys the chart passes through but does not list in its defaults
// (https://argo-cd.readthedocs.io/en/stable/operator-manual/argocd-cm-yaml/)
// argocd-cm keys Argo CD reads that the chart's values.yaml does not default
const ARGOCD_CM_KEYS = ['configs.cm.url', 'configs.cm.oidc.config'];

describe('rendered objects validate against upstream schemas', () => {
  for (const [cloud, make] of [['azure', azureMgmt], ['aws', awsMgmt]] as const) {
    it(`every Argo CD object of the ${cloud} example passes kubernetes-models validation`, () => {
      for (const { obj } of manifests(make().platform.render())) {
        expect(() => modelOf(obj).validate()).not.toThrow();
      }
    });

    it.skipIf(!HAS_SCHEMAS)(`every object of the ${cloud} example passes the Argo CD CRDs strictly (needs ../shared/schemas)`, () => {
      const mgmt = make();
      const objs = manifests(mgmt.platform.render()).map((m) => m.obj);
      expect(objs.length).toBeGreaterThan(0);
      for (const obj of objs.filter(isCustomResource)) expect(crdErrors(obj)).toEqual([]);
      // the bootstrap's argocd-apps values carry the same specs
      const apps = parse(terraform(mgmt.platform.render(), 'mgmt').resource.helm_release['argocd-apps'].values[0]);
      const { namespace: _n, finalizers: _f, ...rootSpec } = apps.applications.root;
      expect(crdErrors({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'root' }, spec: rootSpec } as any)).toEqual([]);
    });
  }

  it.skipIf(!HAS_SCHEMAS)('the strict check catches an unknown field (a typo Kubernetes would prune)', () => {
    const bad = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x' }, spec: { project: 'p', destination: { name: 'a', syncOptions: [] }, source: { repoURL: 'r' } } };
    expect(crdErrors(bad).join('\n')).toContain('must NOT have additional properties');
  });

  it.skipIf(!HAS_SCHEMAS)('every Argo CD chart value we set exists in the chart\'s values.yaml (needs ../shared/schemas)', () => {
    const defaults = argoCdChartValues();
    const params = argoCdParamsKeys();
    const mgmt = azureMgmt(undefined, { argocd: { controllerReplicas: 3 } });
    const values = mgmt.argoCdValues as any;
    // sharding, leader election and processors are set: each key must be one the chart passes to Argo CD
    expect(Object.keys(values.configs.params).sort()).toEqual(['applicationsetcontroller.enable.leader.election', 'controller.sharding.algorithm']);
    const missing: string[] = [];
    const walk = (ours: any, theirs: any, at: string) => {
      for (const [k, v] of Object.entries(ours)) {
        const here = at ? `${at}.${k}` : k;
        if (at === 'configs.params') {
          if (params === undefined) console.log(`configs.params.${k} not checked: the argo-cd chart sources are not in ../shared/charts`);
          else if (!params.has(k)) missing.push(here);
          continue;
        }
        if (theirs === undefined || theirs === null || !(k in theirs)) {
          // free-form maps of the chart: keys are ours to choose
          if (!/(clusterCredentials|labels|annotations|podLabels|oidc\.config|podDisruptionBudget|resources)$/.test(at) && !ARGOCD_CM_KEYS.includes(here)) missing.push(here);
          continue;
        }
        if (v && typeof v === 'object' && !Array.isArray(v) && theirs[k] && typeof theirs[k] === 'object') walk(v, theirs[k], here);
      }
    };
    walk(values, defaults, '');
    expect(missing).toEqual([]);
  });
});
