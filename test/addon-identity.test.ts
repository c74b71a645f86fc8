// Every built-in entry that calls a cloud API gets a least-privilege identity in each
// targeted cluster's own state, wired to its values through the registration; a custom
// entry declares one the same way; an identity no cluster token can reach is refused.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  AcmeSolver, AddonIdentity, Catalog, ClusterSelector, expand, ExternalDnsProvider, FleetCluster, Group, HelmChart, SecretStore, ServiceCatalogEntry, TenantVCluster,
} from '../src';
import { compileValuesSchema, crdErrors, HAS_SCHEMAS } from './support/schemas';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud, manifests, terraform } from './support/fixtures';

const core = { 'core-basic': 'enabled' };
const secure = { 'security-basic': 'enabled' };
const annotation = (name: string) => `{{ index .metadata.annotations "${name}" }}`;
/** How the templatePatch (built as data, then serialized) writes a cluster output into a value. */
const patched = (key: string, name: string) => `${key}: {{ index .metadata.annotations "${name}" | quote }}`;

function appSet(files: Map<string, string>, entry: string): any {
  return manifests(files).find(({ obj }) => obj.kind === 'ApplicationSet' && obj.metadata.name === entry)!.obj;
}
/** The entry's values: static ones from its values file, per-cluster ones from the ApplicationSet's template patch. */
function values(files: Map<string, string>, entry: string): { static: any; patch: string } {
  return { static: parse(files.get(`catalog/${entry}/values.yaml`)!), patch: appSet(files, entry).spec.templatePatch };
}
function registration(files: Map<string, string>, cluster: string): any {
  return manifests(files).find(({ obj }) => obj.kind === 'ExternalSecret' && obj.metadata.name === `cluster-${cluster}`)!.obj;
}
const templated = (es: any) => Object.keys(parse(es.spec.target.template.templateFrom[0].literal));
const storeDoc = (tf: any) => tf.resource.azurerm_key_vault_secret?.registration?.value ?? tf.resource.aws_secretsmanager_secret_version?.['registration-value']?.secret_string;

describe('Azure: workload identity on AKS', () => {
  const render = () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform, { labels: { ...core, ...secure } });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { ...core, ...secure } });
    Catalog.externalDns(platform, { provider: ExternalDnsProvider.AZURE, domainFilters: ['acme.dev'], gatewayApi: false, azure: { subscriptionId: 'sub-1', resourceGroupName: 'rg-dns' } });
    Catalog.certManager(platform, { acme: { email: 'a@acme.dev', solver: AcmeSolver.dns01AzureDns({ subscriptionId: 'sub-1', resourceGroupName: 'rg-dns', hostedZoneName: 'acme.dev' }) } });
    Catalog.externalSecrets(platform);
    return platform.render();
  };

  it('external-dns: a user-assigned identity federated with the service account, DNS Zone Contributor on its zone only and Reader on the zones\' resource group, client id wired to the chart', () => {
    const files = render();
    const tf = terraform(files, 'dev');
    expect(tf.resource.azurerm_user_assigned_identity['addon-external-dns-identity']).toEqual(expect.objectContaining({
      name: 'external-dns-dev', resource_group_name: '${azurerm_resource_group.resource-group.name}',
    }));
    expect(tf.resource.azurerm_federated_identity_credential['addon-external-dns-federation']).toEqual(expect.objectContaining({
      audience: ['api://AzureADTokenExchange'],
      issuer: '${azurerm_kubernetes_cluster.cluster.oidc_issuer_url}',
      subject: 'system:serviceaccount:external-dns:external-dns',
      parent_id: '${azurerm_user_assigned_identity.addon-external-dns-identity.id}',
    }));
    expect(tf.resource.azurerm_role_assignment['addon-external-dns-role-0']).toEqual(expect.objectContaining({
      role_definition_name: 'DNS Zone Contributor',
      scope: '/subscriptions/sub-1/resourceGroups/rg-dns/providers/Microsoft.Network/dnsZones/acme.dev',
      principal_id: '${azurerm_user_assigned_identity.addon-external-dns-identity.principal_id}',
    }));
    // it lists the zones of the resource group (ListByResourceGroup): Reader there, and nothing more
    expect(Object.entries(tf.resource.azurerm_role_assignment).filter(([k]) => k.startsWith('addon-external-dns-role-')).map(([, r]: [string, any]) => [r.role_definition_name, r.scope])).toEqual([
      ['DNS Zone Contributor', '/subscriptions/sub-1/resourceGroups/rg-dns/providers/Microsoft.Network/dnsZones/acme.dev'],
      ['Reader', '/subscriptions/sub-1/resourceGroups/rg-dns'],
    ]);
    // the client id travels: state -> store entry -> registration annotation -> the chart's service account
    expect(storeDoc(tf)).toContain('"external_dns_client_id" = azurerm_user_assigned_identity.addon-external-dns-identity.client_id');
    expect(templated(registration(files, 'dev'))).toEqual(expect.arrayContaining(['external_dns_client_id', 'cert_manager_client_id', 'external_secrets_client_id']));
    const v = values(files, 'external-dns');
    expect(v.patch).toContain(patched('azure.workload.identity/client-id', 'external_dns_client_id'));
    expect(v.static.serviceAccount).toEqual({ labels: { 'azure.workload.identity/use': 'true' } });
    expect(v.static.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(v.static.extraVolumeMounts).toEqual([{ name: 'azure-config', mountPath: '/etc/kubernetes', readOnly: true }]);
    expect(parse(files.get('catalog/external-dns/manifests/all/configmap-external-dns-azure.yaml')!).data['azure.json'])
      .toBe('{"subscriptionId":"sub-1","resourceGroup":"rg-dns","useWorkloadIdentityExtension":true}');
  });

  it('expanded per cluster, each Application gets its own cluster\'s identity values, and they pass the charts\' values schemas', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform, { labels: { ...core, ...secure } });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { ...core, ...secure } });
    Catalog.externalDns(platform, { provider: ExternalDnsProvider.AZURE, domainFilters: ['acme.dev'], gatewayApi: false, azure: { subscriptionId: 'sub-1', resourceGroupName: 'rg-dns' } });
    Catalog.certManager(platform, { acme: { email: 'a@acme.dev', solver: AcmeSolver.dns01AzureDns({ subscriptionId: 'sub-1', resourceGroupName: 'rg-dns', hostedZoneName: 'acme.dev' }) } });
    Catalog.externalSecrets(platform);
    const samples = { external_dns_client_id: '11111111-0000-0000-0000-000000000001', cert_manager_client_id: '11111111-0000-0000-0000-000000000002', external_secrets_client_id: '11111111-0000-0000-0000-000000000003', external_secrets_tenant_id: '11111111-0000-0000-0000-0000000000aa' };
    const apps = expand(platform, { outputs: samples });
    const app = (cluster: string, entry: string) => apps.find((a) => a.cluster === cluster && a.catalogEntry === entry)!;
    for (const cluster of ['mgmt', 'dev']) {
      expect((app(cluster, 'external-dns').values.serviceAccount as any).annotations).toEqual({ 'azure.workload.identity/client-id': samples.external_dns_client_id });
      expect((app(cluster, 'cert-manager').values.serviceAccount as any).annotations).toEqual({ 'azure.workload.identity/client-id': samples.cert_manager_client_id });
    }
    expect((app('dev', 'external-secrets').values.serviceAccount as any).annotations).toEqual({
      'azure.workload.identity/client-id': samples.external_secrets_client_id, 'azure.workload.identity/tenant-id': samples.external_secrets_tenant_id,
    });
    if (!HAS_SCHEMAS) return;
    for (const entry of ['external-dns', 'cert-manager', 'external-secrets']) {
      const validate = compileValuesSchema(`${entry}/chart-values.schema.json`);
      const values = app('dev', entry).values;
      expect([entry, validate(values) ? [] : validate.errors]).toEqual([entry, []]);
    }
  });

  it('cert-manager DNS-01 on Azure DNS: its own identity, DNS Zone Contributor on the hosted zone', () => {
    const tf = terraform(render(), 'dev');
    expect(tf.resource.azurerm_federated_identity_credential['addon-cert-manager-federation'].subject).toBe('system:serviceaccount:cert-manager:cert-manager');
    expect(tf.resource.azurerm_role_assignment['addon-cert-manager-role-0']).toEqual(expect.objectContaining({
      role_definition_name: 'DNS Zone Contributor', scope: '/subscriptions/sub-1/resourceGroups/rg-dns/providers/Microsoft.Network/dnsZones/acme.dev',
    }));
  });

  it('External Secrets on a fleet cluster: Key Vault Secrets User on the platform vault, client and tenant id on its service account', () => {
    const files = render();
    const tf = terraform(files, 'dev');
    expect(tf.resource.azurerm_role_assignment['addon-external-secrets-role-0']).toEqual(expect.objectContaining({
      role_definition_name: 'Key Vault Secrets User', scope: '${data.azurerm_key_vault.platform-key-vault.id}',
    }));
    const v = values(files, 'external-secrets');
    expect(v.patch).toContain(patched('azure.workload.identity/client-id', 'external_secrets_client_id'));
    expect(v.patch).toContain(patched('azure.workload.identity/tenant-id', 'external_secrets_tenant_id'));
  });

  it('the management cluster gets its identities too; their values reach its own registration through the store', () => {
    const files = render();
    const tf = terraform(files, 'mgmt');
    expect(tf.resource.azurerm_user_assigned_identity['addon-external-dns-identity'].name).toBe('external-dns-mgmt');
    // External Secrets on the management cluster is its own install (not the fleet entry)
    expect(tf.resource.azurerm_user_assigned_identity['addon-external-secrets-identity']).toBeUndefined();
    expect(tf.resource.azurerm_key_vault_secret['registration-outputs'].name).toBe('platform-cluster-mgmt');
    const merge = manifests(files).find(({ obj }) => obj.metadata.name === 'cluster-mgmt-outputs')!.obj;
    expect(merge.spec.target).toMatchObject({ name: 'argocd-cluster-mgmt', creationPolicy: 'Merge' });
    expect(templated(merge).sort()).toEqual(['cert_manager_client_id', 'cert_manager_tenant_id', 'external_dns_client_id', 'external_dns_tenant_id']);
  });
});

describe('AWS: EKS Pod Identity', () => {
  const render = () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: { ...core, ...secure } });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...core, ...secure } });
    Catalog.externalDns(platform, { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'], gatewayApi: false });
    Catalog.certManager(platform, { acme: { email: 'a@acme.dev', solver: AcmeSolver.dns01Route53({ region: 'eu-west-1', hostedZoneId: 'Z0123456789ABC' }) } });
    Catalog.externalSecrets(platform);
    return platform.render();
  };

  it('external-dns: an IAM role for Pod Identity, changing records of the zones of its domain filters only', () => {
    const tf = terraform(render(), 'dev');
    expect(tf.resource.aws_eks_pod_identity_association['addon-external-dns-pod-identity']).toEqual(expect.objectContaining({
      cluster_name: '${aws_eks_cluster.cluster.name}', namespace: 'external-dns', service_account: 'external-dns', role_arn: '${aws_iam_role.addon-external-dns-role.arn}',
    }));
    expect(tf.resource.aws_iam_role['addon-external-dns-role'].name).toBe('external-dns-dev');
    expect(tf.data.aws_iam_policy_document['addon-external-dns-trust'].statement).toEqual([
      { effect: 'Allow', actions: ['sts:AssumeRole', 'sts:TagSession'], principals: [{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }] },
    ]);
    expect(tf.data.aws_route53_zone['route53-zone-acme-dev']).toEqual(expect.objectContaining({ name: 'acme.dev', private_zone: false }));
    expect(tf.data.aws_iam_policy_document['addon-external-dns-policy-document'].statement).toEqual([
      { effect: 'Allow', actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'], resources: ['${data.aws_route53_zone.route53-zone-acme-dev.arn}'] },
      { effect: 'Allow', actions: ['route53:ListHostedZones'], resources: ['*'] },
    ]);
    expect(tf.resource.aws_iam_role_policy['addon-external-dns-policy'].policy).toBe('${data.aws_iam_policy_document.addon-external-dns-policy-document.json}');
    // it reads public zones only, those the grants name: a private zone of the same name (split horizon)
    // matches the domain filter too, and reading it would fail the whole sync with AccessDenied
    expect(values(render(), 'external-dns').static.extraArgs).toEqual({ 'aws-zone-type': 'public' });
  });

  it('cert-manager DNS-01 on Route 53: GetChange, and record changes on the hosted zone only', () => {
    const tf = terraform(render(), 'dev');
    expect(tf.data.aws_iam_policy_document['addon-cert-manager-policy-document'].statement).toEqual([
      { effect: 'Allow', actions: ['route53:GetChange'], resources: ['arn:${data.aws_partition.partition.partition}:route53:::change/*'] },
      { effect: 'Allow', actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'], resources: ['arn:${data.aws_partition.partition.partition}:route53:::hostedzone/Z0123456789ABC'] },
      { effect: 'Allow', actions: ['route53:ListHostedZonesByName'], resources: ['*'] },
    ]);
    expect(tf.resource.aws_eks_pod_identity_association['addon-cert-manager-pod-identity'].service_account).toBe('cert-manager');
  });

  it('External Secrets on a fleet cluster: reads the platform\'s secrets only; its role ARN on the service account, web identity in the store', () => {
    const files = render();
    const tf = terraform(files, 'dev');
    expect(tf.data.aws_iam_policy_document['addon-external-secrets-policy-document'].statement).toEqual([
      { effect: 'Allow', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: ['arn:${data.aws_partition.partition.partition}:secretsmanager:eu-west-1:*:secret:platform/*'] },
    ]);
    const trust = tf.data.aws_iam_policy_document['addon-external-secrets-trust'].statement;
    expect(trust[1]).toMatchObject({ principals: [{ type: 'Federated', identifiers: ['${aws_iam_openid_connect_provider.irsa.arn}'] }], actions: ['sts:AssumeRoleWithWebIdentity'] });
    expect(trust[1].condition[1].values).toEqual(['system:serviceaccount:external-secrets:external-secrets']);
    expect(storeDoc(tf)).toContain('"external_secrets_role_arn" = aws_iam_role.addon-external-secrets-role.arn');
    expect(values(files, 'external-secrets').patch).toContain(patched('eks.amazonaws.com/role-arn', 'external_secrets_role_arn'));
    expect(parse(files.get('catalog/external-secrets/manifests/all/clustersecretstore-platform.yaml')!).spec.provider.aws.auth)
      .toEqual({ jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets', audiences: ['sts.amazonaws.com'] } } });
  });

  it('the management cluster gets its Pod Identity roles, and their ARNs on its registration like any cluster', () => {
    const files = render();
    const tf = terraform(files, 'mgmt');
    expect(tf.resource.aws_eks_pod_identity_association['addon-external-dns-pod-identity'].namespace).toBe('external-dns');
    expect(tf.resource.aws_secretsmanager_secret['registration-outputs'].name).toBe('platform/cluster-mgmt');
    expect(templated(manifests(files).find(({ obj }) => obj.metadata.name === 'cluster-mgmt-outputs')!.obj).sort()).toEqual(['cert_manager_role_arn', 'external_dns_role_arn']);
  });
});

describe('the objects that carry the wiring pass their upstream CRDs', () => {
  it.skipIf(!HAS_SCHEMAS)('the merged registration of the management cluster and a ClusterSecretStore with web identity (needs ../shared/schemas)', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: core });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalDns(platform, { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'], gatewayApi: false });
    Catalog.externalSecrets(platform);
    const files = platform.render();
    const objs = [manifests(files).find(({ obj }) => obj.metadata.name === 'cluster-mgmt-outputs')!.obj, parse(files.get('catalog/external-secrets/manifests/all/clustersecretstore-platform.yaml')!)];
    for (const o of objs) expect([o.kind, crdErrors(o)]).toEqual([o.kind, []]);
  });
});

describe('which built-in entries get an identity', () => {
  it('exactly those that call a cloud API: external-dns, cert-manager with a cloud DNS-01 solver, External Secrets; none for the rest (docs/day-one.md says why)', () => {
    const platform = awsPlatform();
    const all = { ...core, ...secure, 'monitoring-basic': 'enabled', 'monitoring-medium': 'enabled', 'storage-basic': 'enabled' };
    const mgmt = awsMgmt(platform, { labels: all });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: all });
    const [gateway] = Catalog.coreBasic(platform, { dns: { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'] } });
    const entries: ServiceCatalogEntry[] = [
      gateway, ...platform.node.children.filter((c): c is ServiceCatalogEntry => c instanceof ServiceCatalogEntry && c !== gateway),
      Catalog.certManager(platform, { acme: { email: 'a@acme.dev', solver: AcmeSolver.dns01Route53({ region: 'eu-west-1', hostedZoneId: 'Z1' }) }, dependsOn: [gateway] }),
      Catalog.externalSecrets(platform), Catalog.kyverno(platform), ...Catalog.monitoringBasic(platform), ...Catalog.monitoringMedium(platform),
      ...Catalog.storageBasic(platform, { server: 'nfs.acme.internal', path: '/exports/k8s' }), Catalog.ingressNginx(platform),
      Catalog.reloader(platform), Catalog.vault(platform), Catalog.openBao(platform), Catalog.crossplane(platform),
      Catalog.atlantis(platform, { orgAllowlist: 'github.com/acme/*', githubUser: 'acme-atlantis', url: 'https://atlantis.acme.dev' }), Catalog.argoWorkflows(platform), Catalog.actionsRunnerController(platform),
      Catalog.gitlabRunner(platform, { gitlabUrl: 'https://gitlab.com/' }), Catalog.chartMuseum(platform),
    ];
    const names = [...new Set(entries.map((e) => e.node.id))];
    expect(names).toEqual(expect.arrayContaining(['envoy-gateway', 'external-dns', 'cert-manager', 'external-secrets', 'loki', 'opencost', 'crossplane', 'atlantis', 'vault', 'chartmuseum']));
    expect(names.filter((n) => entries.find((e) => e.node.id === n)!.identity).sort()).toEqual(['cert-manager', 'external-dns', 'external-secrets']);
    // and each identity is created in the targeted clusters' states
    const files = platform.render();
    for (const cluster of ['mgmt', 'dev']) {
      const roles = Object.values<any>(terraform(files, cluster).resource.aws_iam_role).map((r) => r.name);
      expect(roles).toEqual(expect.arrayContaining([`external-dns-${cluster}`, `cert-manager-${cluster}`]));
    }
    expect(Object.values<any>(terraform(files, 'dev').resource.aws_iam_role).map((r) => r.name)).toContain('external-secrets-dev');
  });
});

describe('across clouds', () => {
  it('External Secrets on an AKS fleet reading Secrets Manager: IAM trusts the AKS issuer, the role reads the platform\'s secrets', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    new FleetCluster(mgmt, 'eu', { environment: 'prod', cloud: aksCloud('10.30.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    const tf = terraform(platform.render(), 'eu');
    expect(tf.resource.aws_iam_openid_connect_provider['aws-trusts-cluster-issuer']).toEqual(expect.objectContaining({
      url: '${azurerm_kubernetes_cluster.cluster.oidc_issuer_url}', client_id_list: ['sts.amazonaws.com'],
    }));
    const trust = tf.data.aws_iam_policy_document['addon-external-secrets-trust'].statement;
    expect(trust).toHaveLength(1);
    expect(trust[0].principals).toEqual([{ type: 'Federated', identifiers: ['${aws_iam_openid_connect_provider.aws-trusts-cluster-issuer.arn}'] }]);
    expect(tf.resource.aws_eks_pod_identity_association).toBeUndefined();
    expect(tf.provider.aws).toEqual([expect.objectContaining({ region: 'eu-west-1' })]);
  });

  it('External Secrets on an EKS fleet reading Key Vault: Entra ID trusts the EKS issuer through a federated credential', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform, { labels: secure });
    new FleetCluster(mgmt, 'us', { environment: 'prod', cloud: eksCloud('10.30.0.0/16', { region: 'us-east-1' }), labels: secure });
    Catalog.externalSecrets(platform);
    const tf = terraform(platform.render(), 'us');
    expect(tf.data.azurerm_resource_group['addon-external-secrets-resource-group'].name).toBe('rg-platform');
    expect(tf.resource.azurerm_user_assigned_identity['addon-external-secrets-identity']).toEqual(expect.objectContaining({
      name: 'external-secrets-us', location: '${data.azurerm_resource_group.addon-external-secrets-resource-group.location}',
    }));
    expect(tf.resource.azurerm_federated_identity_credential['addon-external-secrets-federation'].issuer).toBe('${aws_eks_cluster.cluster.identity[0].oidc[0].issuer}');
    expect(tf.resource.azurerm_role_assignment['addon-external-secrets-role-0'].role_definition_name).toBe('Key Vault Secrets User');
  });

  const refusal = (entry: string, api: string, cluster: string, kind: string, cloud: string, own: string) =>
    `[platform/${entry}] catalog entry "${entry}" calls ${api} APIs with an identity the library creates on each cluster it targets, but cluster "${cluster}" is ${kind}: `
    + `nothing there issues a token ${api} trusts for this add-on, so it would fail in the cluster. Fix: narrow the entry's targets to ${own} clusters `
    + `(e.g. ClusterSelector.allOf(<its selector>, ClusterSelector.labels({ cloud: '${cloud}' }))), or give "${cluster}" an entry for its own cloud.`;

  it('refuses external-dns on Azure DNS for an EKS cluster, and Route 53 DNS-01 for an AKS cluster, with the fix', () => {
    const azure = azurePlatform();
    const mgmt = azureMgmt(azure, { labels: core });
    new FleetCluster(mgmt, 'us', { environment: 'prod', cloud: eksCloud('10.30.0.0/16'), labels: core });
    Catalog.externalDns(azure, { provider: ExternalDnsProvider.AZURE, domainFilters: ['acme.dev'], gatewayApi: false, azure: { subscriptionId: 's', resourceGroupName: 'rg' } });
    expect(() => azure.render()).toThrow(refusal('external-dns', 'Azure', 'us', 'EKS', 'azure', 'AKS'));
    const aws = awsPlatform();
    const eksMgmt = awsMgmt(aws, { labels: secure });
    new FleetCluster(eksMgmt, 'eu', { environment: 'prod', cloud: aksCloud('10.30.0.0/16'), labels: secure });
    Catalog.certManager(aws, { acme: { email: 'a@acme.dev', solver: AcmeSolver.dns01Route53({ region: 'eu-west-1', hostedZoneId: 'Z1' }) } });
    expect(() => aws.render()).toThrow(refusal('cert-manager', 'AWS', 'eu', 'AKS', 'aws', 'EKS'));
  });

  it('refuses the other two pairs too: external-dns on Route 53 for an AKS cluster, Azure DNS DNS-01 for an EKS cluster', () => {
    const aws = awsPlatform();
    const eksMgmt = awsMgmt(aws, { labels: core });
    new FleetCluster(eksMgmt, 'eu', { environment: 'prod', cloud: aksCloud('10.30.0.0/16'), labels: core });
    Catalog.externalDns(aws, { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'], gatewayApi: false });
    expect(() => aws.render()).toThrow(refusal('external-dns', 'AWS', 'eu', 'AKS', 'aws', 'EKS'));
    const azure = azurePlatform();
    const mgmt = azureMgmt(azure, { labels: secure });
    new FleetCluster(mgmt, 'us', { environment: 'prod', cloud: eksCloud('10.30.0.0/16'), labels: secure });
    Catalog.certManager(azure, { acme: { email: 'a@acme.dev', solver: AcmeSolver.dns01AzureDns({ subscriptionId: 's', resourceGroupName: 'rg', hostedZoneName: 'acme.dev' }) } });
    expect(() => azure.render()).toThrow(refusal('cert-manager', 'Azure', 'us', 'EKS', 'azure', 'AKS'));
  });

  it('refuses a management cluster on the other cloud than its Key Vault or Secrets Manager store (its External Secrets has no way in), with the fix', () => {
    const onAks = () => azureMgmt(awsPlatform());
    expect(onAks).toThrow('[platform/mgmt] cloud: got "azure". Allowed: a management cluster on the secret store\'s cloud (AWS Secrets Manager needs EKS), or a Vault secret store. '
      + 'Fix: host the management cluster where the secret store is (its workload identity reads the store), or use SecretStore.vault().');
  });

  it('takes the fix: narrowing the targets to the provider\'s cloud', () => {
    const azure = azurePlatform();
    const mgmt = azureMgmt(azure, { labels: core });
    new FleetCluster(mgmt, 'us', { environment: 'prod', cloud: eksCloud('10.30.0.0/16'), labels: core });
    Catalog.externalDns(azure, {
      provider: ExternalDnsProvider.AZURE, domainFilters: ['acme.dev'], gatewayApi: false, azure: { subscriptionId: 's', resourceGroupName: 'rg' },
      targets: ClusterSelector.allOf(ClusterSelector.labels(core), ClusterSelector.labels({ cloud: 'azure' })),
    });
    const files = azure.render();
    expect(terraform(files, 'us').resource.azurerm_user_assigned_identity).toBeUndefined();
    expect(terraform(files, 'mgmt').resource.azurerm_user_assigned_identity['addon-external-dns-identity']).toBeDefined();
  });

  it('asks external-dns on Azure DNS where its zones are', () => {
    expect(() => Catalog.externalDns(azurePlatform(), { provider: ExternalDnsProvider.AZURE, domainFilters: ['acme.dev'] }))
      .toThrow('[platform/external-dns] azure: got nothing. Allowed: the subscription and resource group of the Azure DNS zones. Fix: pass azure: { subscriptionId, resourceGroupName } (the identity is granted DNS Zone Contributor on those zones and Reader on that resource group).');
  });

});

describe('Vault: a policy and a JWT auth role per cluster, through the vault provider', () => {
  const render = () => {
    const platform = azurePlatform({ secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }) });
    const mgmt = azureMgmt(platform, { labels: secure });
    const eu = new FleetCluster(mgmt, 'eu', { environment: 'prod', cloud: aksCloud('10.30.0.0/16'), labels: secure });
    new FleetCluster(mgmt, 'us', { environment: 'prod', cloud: eksCloud('10.40.0.0/16', { region: 'us-east-1' }), labels: secure });
    new FleetCluster(mgmt, 'ap', { environment: 'prod', cloud: aksCloud('10.50.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    new TenantVCluster(eu, 'team-a', { owners: Group.named('team-a') });
    return { platform, files: platform.render() };
  };

  it('trusts each cluster\'s service-account issuer at its own mount (Vault never calls the cluster), reads the platform prefix, writes the hosted tenants\' entries', () => {
    const { platform, files } = render();
    const eu = terraform(files, 'eu');
    expect(eu.resource.vault_jwt_auth_backend['addon-external-secrets-vault-auth']).toEqual(expect.objectContaining({
      path: 'jwt-eu', type: 'jwt', oidc_discovery_url: '${azurerm_kubernetes_cluster.cluster.oidc_issuer_url}', bound_issuer: '${azurerm_kubernetes_cluster.cluster.oidc_issuer_url}',
    }));
    expect(eu.resource.vault_jwt_auth_backend_role['addon-external-secrets-vault-role']).toEqual(expect.objectContaining({
      backend: '${vault_jwt_auth_backend.addon-external-secrets-vault-auth.path}', role_name: 'external-secrets', role_type: 'jwt', user_claim: 'sub',
      bound_audiences: ['vault'], bound_subject: 'system:serviceaccount:external-secrets:external-secrets', token_policies: ['${vault_policy.addon-external-secrets-vault-policy.name}'],
    }));
    expect(eu.resource.vault_policy['addon-external-secrets-vault-policy']).toEqual(expect.objectContaining({
      name: 'external-secrets-eu',
      policy: 'path "secret/data/platform/*" {\n  capabilities = ["read"]\n}\npath "secret/metadata/platform/*" {\n  capabilities = ["read"]\n}\n'
        + 'path "secret/data/platform/vcluster-team-a" {\n  capabilities = ["create", "read", "update"]\n}\npath "secret/metadata/platform/vcluster-team-a" {\n  capabilities = ["read", "update", "delete"]\n}\n',
    }));
    expect(terraform(files, 'us').resource.vault_jwt_auth_backend['addon-external-secrets-vault-auth'].oidc_discovery_url).toBe('${aws_eks_cluster.cluster.identity[0].oidc[0].issuer}');
    // the hosted tenants' grant is managed: no warning left for the user
    expect(platform.warnings.filter((w) => w.message.includes('does not manage'))).toEqual([]);
  });

  it('puts each cluster\'s ClusterSecretStore, with its own mount, in its folder, synced by the folder\'s Application', () => {
    const { files } = render();
    const file = [...files.keys()].find((f) => f.startsWith('clusters/ap/') && f.includes('clustersecretstore'))!;
    const store = parse(files.get(file)!);
    expect(store.spec.provider.vault.auth).toEqual({
      jwt: { path: 'jwt-ap', role: 'external-secrets', kubernetesServiceAccountToken: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets', audiences: ['vault'] } } },
    });
    expect(files.has('catalog/external-secrets/manifests/all/clustersecretstore-platform.yaml')).toBe(false);
    // an AKS fleet cluster has no other object in its folder here: the store alone gets it its Application
    expect([...files.keys()].some((f) => /^clusters\/mgmt\/.*application-cluster-ap\.yaml$/.test(f))).toBe(true);
    if (HAS_SCHEMAS) expect(crdErrors(store)).toEqual([]);
  });
});

describe('outputs the library provides', () => {
  it('refuses an addOutput that takes the name of an add-on identity\'s output, with the fix', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform, { labels: secure });
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: secure });
    Catalog.externalSecrets(platform);
    dev.addOutput('external_secrets_client_id', 'client');
    expect(() => platform.render()).toThrow('[platform/mgmt/dev] output name: got "external_secrets_client_id". Allowed: a name no add-on identity of this cluster provides. '
      + 'Fix: remove addOutput("external_secrets_client_id", ...): the library creates that identity on "dev" and provides the output itself.');
  });
});

describe('rendering', () => {
  it('renders identities twice with the same bytes (each render replaces the last one\'s resources)', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: { ...core, ...secure } });
    new FleetCluster(mgmt, 'eu', { environment: 'prod', cloud: aksCloud('10.30.0.0/16'), labels: { ...core, ...secure } });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { ...core, ...secure } });
    Catalog.externalDns(platform, { provider: ExternalDnsProvider.AWS, domainFilters: ['acme.dev'], gatewayApi: false, targets: ClusterSelector.labels({ ...core, cloud: 'aws' }) });
    Catalog.externalSecrets(platform);
    const first = platform.render();
    const second = platform.render();
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, text] of first) expect([file, second.get(file)]).toEqual([file, text]);
  });
});

describe('custom entries declare their identity the same way', () => {
  it('renders a custom entry\'s AWS identity on each targeted EKS cluster and wires its role ARN output', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform);
    const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: { backup: 'enabled' } });
    const identity = AddonIdentity.aws({ name: 'velero', serviceAccount: 'velero', statements: [{ actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:<partition>:s3:::acme-backups/*'] }] });
    new ServiceCatalogEntry(platform, 'velero', {
      chart: HelmChart.fromRepository({ repository: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '8.0.0' }),
      namespace: 'velero',
      targets: ClusterSelector.labels({ backup: 'enabled' }),
      identity,
      values: { serviceAccount: { server: { annotations: { 'platform.acme.dev/role': identity.roleArn } } } },
    });
    const files = platform.render();
    const tf = terraform(files, 'dev');
    expect(tf.resource.aws_iam_role['addon-velero-role'].name).toBe('velero-dev');
    expect(tf.data.aws_iam_policy_document['addon-velero-policy-document'].statement[0].resources).toEqual(['arn:${data.aws_partition.partition.partition}:s3:::acme-backups/*']);
    expect(Object.keys(dev.outputs)).toContain('velero_role_arn');
    expect(templated(registration(files, 'dev'))).toContain('velero_role_arn');
  });

  it('names a custom entry\'s federated credential as Azure accepts it: a service account\'s dots become dashes, a long name is shortened (the subject keeps both)', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform);
    new FleetCluster(mgmt, 'eu', { environment: 'prod', cloud: aksCloud('10.30.0.0/16'), labels: { backup: 'enabled' } });
    const sa = `velero.server-${'x'.repeat(120)}`;
    for (const [id, serviceAccount] of [['velero', 'velero.server'], ['long', sa]]) {
      new ServiceCatalogEntry(platform, id, {
        chart: HelmChart.fromRepository({ repository: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '8.0.0' }),
        namespace: 'velero',
        targets: ClusterSelector.labels({ backup: 'enabled' }),
        identity: AddonIdentity.azure({ name: id, serviceAccount, roles: [{ roleDefinitionName: 'Storage Blob Data Contributor', scope: '/subscriptions/0000/resourceGroups/backups' }] }),
      });
    }
    const credentials = terraform(platform.render(), 'eu').resource.azurerm_federated_identity_credential;
    // Microsoft.ManagedIdentity federatedIdentityCredentials: 3-120 characters, letters, digits, - and _
    const AZURE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$/;
    expect(credentials['addon-velero-federation'].name).toBe('velero-velero-server');
    expect(credentials['addon-velero-federation'].subject).toBe('system:serviceaccount:velero:velero.server');
    expect(credentials['addon-long-federation'].name).toMatch(AZURE_NAME);
    expect(credentials['addon-long-federation'].subject).toBe(`system:serviceaccount:velero:${sa}`);
    for (const c of Object.values<any>(credentials)) expect([c.name, AZURE_NAME.test(c.name)]).toEqual([c.name, true]);
  });

  it('refuses a custom entry\'s AWS identity on an AKS cluster it targets, with the same fix', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform);
    new FleetCluster(mgmt, 'eu', { environment: 'prod', cloud: aksCloud('10.30.0.0/16'), labels: { backup: 'enabled' } });
    new ServiceCatalogEntry(platform, 'velero', {
      chart: HelmChart.fromRepository({ repository: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '8.0.0' }),
      namespace: 'velero',
      targets: ClusterSelector.labels({ backup: 'enabled' }),
      identity: AddonIdentity.aws({ name: 'velero', serviceAccount: 'velero', statements: [{ actions: ['s3:GetObject'], resources: ['arn:<partition>:s3:::acme-backups/*'] }] }),
    });
    expect(() => platform.render()).toThrow('[platform/velero] catalog entry "velero" calls AWS APIs with an identity the library creates on each cluster it targets, but cluster "eu" is AKS: '
      + 'nothing there issues a token AWS trusts for this add-on, so it would fail in the cluster. Fix: narrow the entry\'s targets to EKS clusters '
      + '(e.g. ClusterSelector.allOf(<its selector>, ClusterSelector.labels({ cloud: \'aws\' }))), or give "eu" an entry for its own cloud.');
  });

  it('refuses an identity without grants, or an Azure role scoped above a resource', () => {
    const make = (identity: AddonIdentity) => () => new ServiceCatalogEntry(azurePlatform(), 'x', {
      chart: HelmChart.fromRepository({ repository: 'https://charts.acme.dev', chart: 'x', version: '1.0.0' }), namespace: 'x', targets: ClusterSelector.labels({ x: 'y' }), identity,
    });
    expect(make(AddonIdentity.aws({ name: 'x', serviceAccount: 'x', statements: [] })))
      .toThrow('[platform/x] identity.statements: got []. Allowed: one or more policy statements. Fix: list the actions the add-on needs on its resources.');
    expect(make(AddonIdentity.azure({ name: 'x', serviceAccount: 'x', roles: [{ roleDefinitionName: 'Reader', scope: '*' }] })))
      .toThrow('[platform/x] identity.roles[0].scope: got "*". Allowed: an Azure resource id below a subscription ("/subscriptions/<id>/resourceGroups/..."). Fix: scope the role to the resource the add-on uses.');
  });
});
