import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { ApiObject } from 'cdk8s';
import { Secret } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  Cloud, FleetCluster, ManagementCluster, PlatformValidationError, SecretStore,
} from '../src';
import { modelOf } from './support/models';
import { aksCloud, awsMgmt, awsPlatform, azureMgmt, azurePlatform, eksCloud, manifests, terraform } from './support/fixtures';
import { crdErrors, isCustomResource, HAS_SCHEMAS, SCHEMAS_DIR } from './support/schemas';

const secure = { 'security-basic': 'enabled' };

function registration(files: Map<string, string>, name: string): any {
  return parse(files.get(`clusters/mgmt/argocd/externalsecret-cluster-${name}.yaml`)!);
}

/** Renders the ExternalSecret's template the way External Secrets would, with sample facts. */
function templatedSecret(es: any, facts: Record<string, string>): any {
  const fill = (t: string) => t.replace(/\{\{ \.(\w+) \}\}/g, (_, k) => {
    if (!(k in facts)) throw new Error(`template uses ${k}, which the sample facts lack`);
    return facts[k];
  });
  const tpl = es.spec.target.template;
  const stringData = Object.fromEntries(Object.entries(tpl.data).map(([k, v]) => [k, fill(v as string)]));
  const fromAnnotations = (tpl.templateFrom ?? []).filter((t: any) => t.target === 'Annotations').map((t: any) => parse(fill(t.literal)));
  for (const v of Object.values(stringData)) expect(v).not.toContain('{{');
  // every fact the template reads is fetched from the store
  const fetched = es.spec.data.map((d: any) => d.secretKey).sort();
  const used = [...JSON.stringify(tpl).matchAll(/\{\{ \.(\w+) \}\}/g)].map((m) => m[1]);
  expect(fetched).toEqual(expect.arrayContaining([...new Set(used)]));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: es.spec.target.name, namespace: 'argocd', labels: tpl.metadata.labels, annotations: Object.assign({}, tpl.metadata.annotations, ...fromAnnotations) },
    stringData,
  };
}

const SAMPLE = {
  server: 'https://dev-eu-abc.hcp.westeurope.azmk8s.io:443',
  caData: 'LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t',
  argocdClientId: '11111111-2222-3333-4444-555555555555',
  argocdTenantId: '66666666-7777-8888-9999-000000000000',
  argocdRoleArn: 'arn:aws:iam::123456789012:role/argocd-mgmt-dev-us',
  oidc_issuer_url: 'https://issuer.example/abc/',
  aws_vpc_id: 'vpc-0123',
  external_dns_role_arn: 'arn:aws:iam::123456789012:role/external-dns',
};

describe('FleetCluster on an Azure cockpit', () => {
  function platform() {
    const mgmt = azureMgmt(azurePlatform(), { labels: secure });
    const devEu = new FleetCluster(mgmt, 'dev-eu', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { ...secure, 'core-basic': 'enabled' }, addons: ['cert_manager'] });
    const devUs = new FleetCluster(mgmt, 'dev-us', { environment: 'dev', cloud: eksCloud('10.30.0.0/16', { region: 'us-east-1' }), labels: secure });
    return { mgmt, devEu, devUs, files: mgmt.platform.render() };
  }

  it('gives each fleet cluster its own Terraform state with a remote backend', () => {
    const { files } = platform();
    expect(terraform(files, 'dev-eu').terraform.backend.azurerm.key).toBe('dev-eu.tfstate');
    expect(terraform(files, 'dev-us').resource.aws_eks_cluster.cluster.name).toBe('dev-us');
    expect(terraform(files, 'dev-us').terraform.backend.azurerm.key).toBe('dev-us.tfstate');
  });

  it('AKS fleet: writes server and CA to Key Vault and grants the management Argo CD identity cluster admin', () => {
    const tf = terraform(platform().files, 'dev-eu');
    expect(tf.data.azurerm_user_assigned_identity['management-argocd-identity']).toMatchObject({ name: 'argocd-mgmt', resource_group_name: 'rg-mgmt' });
    expect(tf.resource.azurerm_role_assignment['argocd-cluster-admin']).toMatchObject({
      scope: '${azurerm_kubernetes_cluster.cluster.id}',
      role_definition_name: 'Azure Kubernetes Service RBAC Cluster Admin',
      principal_id: '${data.azurerm_user_assigned_identity.management-argocd-identity.principal_id}',
    });
    const secret = tf.resource.azurerm_key_vault_secret.registration;
    expect(secret.name).toBe('platform-cluster-dev-eu');
    expect(secret.key_vault_id).toBe('${data.azurerm_key_vault.platform-key-vault.id}');
    expect(secret.value).toContain('"server" = azurerm_kubernetes_cluster.cluster.kube_config[0].host');
    expect(secret.value).toContain('"caData" = azurerm_kubernetes_cluster.cluster.kube_config[0].cluster_ca_certificate');
    expect(secret.value).toContain('"argocdClientId" = data.azurerm_user_assigned_identity.management-argocd-identity.client_id');
  });

  it('AKS fleet: the ExternalSecret templates a cluster Secret Argo CD accepts, with kubelogin workload identity', () => {
    const es = registration(platform().files, 'dev-eu');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'platform' });
    const secret = templatedSecret(es, SAMPLE);
    expect(() => new Secret(secret).validate()).not.toThrow();
    expect(secret.stringData.name).toBe('dev-eu');
    expect(secret.stringData.server).toBe(SAMPLE.server);
    expect(JSON.parse(secret.stringData.config)).toEqual({
      execProviderConfig: {
        command: 'argocd-k8s-auth',
        args: ['azure'],
        env: {
          AAD_LOGIN_METHOD: 'workloadidentity',
          AAD_ENVIRONMENT_NAME: 'AzurePublicCloud',
          AZURE_CLIENT_ID: SAMPLE.argocdClientId,
          AZURE_TENANT_ID: SAMPLE.argocdTenantId,
          AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/cdk8s-gitops-platform/azure/azure-identity-token',
          AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/',
        },
        apiVersion: 'client.authentication.k8s.io/v1beta1',
      },
      tlsClientConfig: { insecure: false, caData: SAMPLE.caData },
    });
    expect(secret.metadata.labels).toEqual({
      'argocd.argoproj.io/secret-type': 'cluster',
      'environment': 'dev',
      'cloud': 'azure',
      'region': 'westeurope',
      'kubernetes-version': '1.35',
      'cluster_name': 'dev-eu',
      'platform-role': 'fleet',
      'security-basic': 'enabled',
      'core-basic': 'enabled',
      'enable_cert_manager': 'true',
    });
    expect(secret.metadata.annotations).toMatchObject({
      addons_repo_url: 'https://github.com/acme/platform-gitops.git',
      addons_repo_revision: 'main',
      addons_repo_basepath: 'dist',
      cluster_name: 'dev-eu',
      environment: 'dev',
      oidc_issuer_url: SAMPLE.oidc_issuer_url,
    });
  });

  it('EKS fleet of an AKS cockpit: AWS trusts the AKS issuer, Argo CD assumes the role with its Azure token', () => {
    const { files, mgmt } = platform();
    const tf = terraform(files, 'dev-us');
    expect(tf.data.azurerm_kubernetes_cluster['management-cluster']).toMatchObject({ name: 'aks-mgmt', resource_group_name: 'rg-mgmt' });
    // the IAM OIDC provider for the AKS issuer is the cockpit's (one per URL in an account): the fleet looks it up
    expect(tf.resource.aws_iam_openid_connect_provider['management-issuer']).toBeUndefined();
    expect(tf.data.aws_iam_openid_connect_provider['management-issuer']).toMatchObject({ url: '${data.azurerm_kubernetes_cluster.management-cluster.oidc_issuer_url}' });
    expect(terraform(files, 'mgmt').resource.aws_iam_openid_connect_provider['aws-trusts-cluster-issuer']).toMatchObject({
      url: '${azurerm_kubernetes_cluster.cluster.oidc_issuer_url}', client_id_list: ['api://AzureADTokenExchange'],
    });
    // the condition keys are expressions of the issuer: values of a policy document, never object keys of jsonencode
    expect(tf.resource.aws_iam_role['management-argocd-role'].assume_role_policy).toBe('${data.aws_iam_policy_document.management-argocd-trust.json}');
    const issuerHost = '${replace(data.aws_iam_openid_connect_provider.management-issuer.url, "https://", "")}';
    expect(tf.data.aws_iam_policy_document['management-argocd-trust'].statement[0]).toMatchObject({
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: ['${data.aws_iam_openid_connect_provider.management-issuer.arn}'] }],
      condition: [
        { test: 'StringEquals', variable: `${issuerHost}:aud`, values: ['api://AzureADTokenExchange'] },
        { test: 'StringLike', variable: `${issuerHost}:sub`, values: ['system:serviceaccount:argocd:argocd-application-controller', 'system:serviceaccount:argocd:argocd-server'] },
      ],
    });
    expect(tf.resource.aws_eks_access_entry['argocd-access'].principal_arn).toBe('${aws_iam_role.management-argocd-role.arn}');
    // the access policy lives in the cluster account's partition (aws-cn, aws-us-gov too), never a hard-coded "aws"
    expect(tf.resource.aws_eks_access_policy_association['argocd-access-policy'].policy_arn).toBe('arn:${data.aws_partition.partition.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    expect(tf.data.aws_partition.partition).toBeDefined();
    // connection facts go to the platform's Key Vault even from an AWS stack
    expect(tf.resource.azurerm_key_vault_secret.registration.name).toBe('platform-cluster-dev-us');
    const config = JSON.parse(templatedSecret(registration(files, 'dev-us'), SAMPLE).stringData.config);
    expect(config.execProviderConfig).toEqual({
      command: 'argocd-k8s-auth',
      args: ['aws', '--cluster-name', 'dev-us'],
      env: { AWS_ROLE_ARN: SAMPLE.argocdRoleArn, AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/cdk8s-gitops-platform/azure/azure-identity-token', AWS_REGION: 'us-east-1' },
      apiVersion: 'client.authentication.k8s.io/v1beta1',
    });
    // the AKS cockpit's Argo CD pods carry the workload identity label that projects that token
    const controller = (mgmt.argoCdValues as any).controller;
    expect(controller.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    // the token the registrations name, projected by the pod itself: the webhook's own path depends on its version
    expect(controller.volumeMounts).toEqual([{ name: 'platform-azure-token', mountPath: '/var/run/secrets/cdk8s-gitops-platform/azure', readOnly: true }]);
    expect(controller.volumes[0].projected.sources[0].serviceAccountToken).toEqual({ audience: 'api://AzureADTokenExchange', expirationSeconds: 3600, path: 'azure-identity-token' });
  });

  it('the management cluster gets the identities Argo CD and External Secrets need', () => {
    const tf = terraform(platform().files, 'mgmt');
    expect(tf.resource.azurerm_user_assigned_identity['argocd-identity'].name).toBe('argocd-mgmt');
    const creds = Object.values(tf.resource.azurerm_federated_identity_credential) as any[];
    expect(creds.map((c) => c.subject).sort()).toEqual([
      'system:serviceaccount:argocd:argocd-application-controller',
      'system:serviceaccount:argocd:argocd-server',
      'system:serviceaccount:external-secrets:external-secrets',
    ]);
    expect(tf.resource.azurerm_role_assignment['external-secrets-key-vault-reader'].role_definition_name).toBe('Key Vault Secrets User');
    expect(tf.resource.kubernetes_service_account_v1['external-secrets-service-account'].metadata.annotations).toEqual({
      'azure.workload.identity/client-id': '${azurerm_user_assigned_identity.external-secrets-identity.client_id}',
    });
  });

  it('the platform AppProject may deploy to every fleet cluster', () => {
    const project = parse(platform().files.get('clusters/mgmt/argocd/appproject-platform.yaml')!);
    expect(project.spec.destinations).toEqual([{ name: 'mgmt', namespace: '*' }, { name: 'dev-eu', namespace: '*' }, { name: 'dev-us', namespace: '*' }]);
  });
});

describe('FleetCluster on an AWS cockpit', () => {
  function platform() {
    const mgmt = awsMgmt(awsPlatform(), { labels: secure });
    new FleetCluster(mgmt, 'prod-eu', { environment: 'prod', cloud: eksCloud('10.40.0.0/16'), labels: secure });
    new FleetCluster(mgmt, 'prod-az', { environment: 'prod', cloud: aksCloud('10.50.0.0/16'), labels: secure });
    return { mgmt, files: mgmt.platform.render() };
  }

  it('EKS fleet: Secrets Manager entry, access entry for the management Argo CD role, awsAuthConfig', () => {
    const { files } = platform();
    const tf = terraform(files, 'prod-eu');
    expect(tf.data.aws_iam_role['management-argocd-role'].name).toBe('argocd-mgmt');
    expect(tf.resource.aws_eks_access_policy_association['argocd-access-policy']).toMatchObject({
      policy_arn: 'arn:${data.aws_partition.partition.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: { type: 'cluster' },
    });
    expect(tf.resource.aws_secretsmanager_secret.registration.name).toBe('platform/cluster-prod-eu');
    expect(tf.resource.aws_secretsmanager_secret_version['registration-value'].secret_string).toContain('"server" = aws_eks_cluster.cluster.endpoint');
    expect(JSON.parse(templatedSecret(registration(files, 'prod-eu'), SAMPLE).stringData.config)).toEqual({
      awsAuthConfig: { clusterName: 'prod-eu' },
      tlsClientConfig: { insecure: false, caData: SAMPLE.caData },
    });
  });

  it('AKS fleet of an EKS cockpit: Entra ID trusts the EKS issuer, Argo CD mounts a projected token', () => {
    const { files, mgmt } = platform();
    const tf = terraform(files, 'prod-az');
    expect(tf.data.aws_eks_cluster['management-cluster'].name).toBe('mgmt');
    const creds = Object.values(tf.resource.azurerm_federated_identity_credential) as any[];
    expect(creds.map((c) => [c.issuer, c.audience, c.subject])).toEqual([
      ['${data.aws_eks_cluster.management-cluster.identity[0].oidc[0].issuer}', ['api://AzureADTokenExchange'], 'system:serviceaccount:argocd:argocd-application-controller'],
      ['${data.aws_eks_cluster.management-cluster.identity[0].oidc[0].issuer}', ['api://AzureADTokenExchange'], 'system:serviceaccount:argocd:argocd-server'],
    ]);
    // the fleet is in another cloud: its connection facts still go to Secrets Manager, in the store's region
    expect(tf.resource.aws_secretsmanager_secret.registration.name).toBe('platform/cluster-prod-az');
    const values = mgmt.argoCdValues as any;
    expect(values.controller.volumeMounts).toEqual([{ name: 'platform-azure-token', mountPath: '/var/run/secrets/cdk8s-gitops-platform/azure', readOnly: true }]);
    expect(values.server.volumes[0].projected.sources[0].serviceAccountToken.audience).toBe('api://AzureADTokenExchange');
  });

  it('the management cluster gets Pod Identity roles for Argo CD and External Secrets', () => {
    const tf = terraform(platform().files, 'mgmt');
    expect(tf.resource.aws_iam_role['argocd-role'].name).toBe('argocd-mgmt');
    const assoc = Object.values(tf.resource.aws_eks_pod_identity_association) as any[];
    expect(assoc.map((a) => `${a.namespace}/${a.service_account}`).sort()).toEqual([
      'argocd/argocd-application-controller', 'argocd/argocd-server', 'external-secrets/external-secrets',
    ]);
    expect(tf.resource.aws_iam_role_policy['external-secrets-read'].policy).toContain('secret:platform/*');
  });
});

describe('a Vault secret store', () => {
  it('writes registrations to Vault KV v2 and reads them with JWT auth at the management cluster\'s own mount', () => {
    const platform = azurePlatform({ secretStore: SecretStore.vault({ server: 'https://vault.acme.dev:8200' }) });
    const mgmt = azureMgmt(platform, { labels: secure });
    new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.60.0.0/16'), labels: secure });
    const files = platform.render();
    const tf = terraform(files, 'dev');
    expect(tf.resource.vault_kv_secret_v2.registration).toMatchObject({ mount: 'secret', name: 'platform/cluster-dev' });
    expect(tf.provider.vault[0].address).toBe('https://vault.acme.dev:8200');
    const store = parse(files.get('clusters/mgmt/_cluster/clustersecretstore-platform.yaml')!);
    expect(store.spec.provider.vault).toMatchObject({ server: 'https://vault.acme.dev:8200', path: 'secret', version: 'v2', auth: { jwt: { path: 'jwt-mgmt', role: 'external-secrets' } } });
    expect(terraform(files, 'mgmt').resource.vault_jwt_auth_backend['addon-external-secrets-vault-auth'].path).toBe('jwt-mgmt');
    expect(registration(files, 'dev').spec.data[0].remoteRef).toEqual({ key: 'platform/cluster-dev', property: 'server' });
  });
});

describe('no credentials in Git', () => {
  for (const [name, make] of [['azure', () => {
    const m = azureMgmt(azurePlatform(), { labels: secure });
    new FleetCluster(m, 'f1', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: secure });
    new FleetCluster(m, 'f2', { environment: 'prod', cloud: eksCloud('10.30.0.0/16'), labels: secure });
    return m.platform.render();
  }], ['aws', () => {
    const m = awsMgmt(awsPlatform(), { labels: secure });
    new FleetCluster(m, 'f1', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    new FleetCluster(m, 'f2', { environment: 'prod', cloud: aksCloud('10.30.0.0/16'), labels: secure });
    return m.platform.render();
  }]] as const) {
    it(`${name}: the output holds no Secret, no token and no kubeconfig`, () => {
      const files = make();
      for (const { obj } of manifests(files)) expect(obj.kind).not.toBe('Secret');
      const all = [...files.values()].join('\n');
      expect(all).not.toMatch(/bearerToken|client-certificate-data|client-key-data|BEGIN [A-Z ]*PRIVATE KEY/);
    });

    it(`${name}: every registration's store entry is written by exactly one Terraform stack`, () => {
      const files = make();
      const keys = manifests(files).filter(({ obj }) => obj.kind === 'ExternalSecret').map(({ obj }) => obj.spec.data[0].remoteRef.key);
      expect(keys).toHaveLength(2);
      const writers = [...files].filter(([f]) => f.endsWith('cdk.tf.json')).flatMap(([, text]) => {
        const r = JSON.parse(text).resource ?? {};
        return [...Object.values(r.azurerm_key_vault_secret ?? {}), ...Object.values(r.aws_secretsmanager_secret ?? {}), ...Object.values(r.vault_kv_secret_v2 ?? {})]
          .map((s: any) => s.name);
      });
      for (const key of keys) expect(writers.filter((w) => w === key)).toHaveLength(1);
    });

    it.skipIf(!HAS_SCHEMAS)(`${name}: every object passes the upstream CRDs strictly and kubernetes-models (needs ../shared/schemas)`, () => {
      for (const { obj } of manifests(make())) {
        if (isCustomResource(obj)) expect(crdErrors(obj)).toEqual([]);
        expect(() => modelOf(obj).validate()).not.toThrow();
      }
    });
  }

  it.skipIf(!HAS_SCHEMAS)('the external-secrets chart values pass the chart\'s values schema (needs ../shared/schemas)', () => {
    const schema = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'external-secrets/chart-values.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    for (const make of [() => azureMgmt(), () => awsMgmt()]) {
      const app = parse(make().platform.render().get('clusters/mgmt/argocd/application-external-secrets.yaml')!);
      const values = app.spec.sources[0].helm.valuesObject;
      expect(validate(values) ? [] : validate.errors).toEqual([]);
    }
  });
});

describe('typed outputs travel as annotations', () => {
  it('an output declared in TypeScript is written by the fleet stack and read as an annotation', () => {
    const mgmt = awsMgmt(awsPlatform(), { labels: secure });
    const fleet = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
    const out = fleet.addOutput('external_dns_role_arn', fleet.eks!.nodeRole.arn);
    expect(out.goTemplate).toBe('{{ index .metadata.annotations "external_dns_role_arn" }}');
    expect(Object.keys(fleet.outputs)).toEqual(['oidc_issuer_url', 'aws_vpc_id', 'external_dns_role_arn']);
    const files = mgmt.platform.render();
    expect(terraform(files, 'dev').resource.aws_secretsmanager_secret_version['registration-value'].secret_string)
      .toContain('"external_dns_role_arn" = aws_iam_role.node-role.arn');
    const secret = templatedSecret(registration(files, 'dev'), SAMPLE);
    expect(secret.metadata.annotations.external_dns_role_arn).toBe(SAMPLE.external_dns_role_arn);
  });

  it('rejects a bad or duplicate output name', () => {
    const mgmt = awsMgmt(awsPlatform());
    const fleet = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16') });
    expect(() => fleet.addOutput('External-DNS', 'x')).toThrow(
      '[platform/mgmt/dev] output name: got "External-DNS". Allowed: lower-case letters, digits and "_", starting with a letter, not a reserved fact (server, caData, argocd*). Fix: rename the output, e.g. "external_dns_role_arn".');
    expect(() => fleet.addOutput('server', 'x')).toThrow(
      '[platform/mgmt/dev] output name: got "server". Allowed: lower-case letters, digits and "_", starting with a letter, not a reserved fact (server, caData, argocd*). Fix: rename the output, e.g. "external_dns_role_arn".');
    expect(() => fleet.addOutput('aws_vpc_id', 'x')).toThrow('[platform/mgmt/dev] output name: got "aws_vpc_id". Allowed: a name not used by another output of this cluster. Fix: give each output its own name.');
  });
});

describe('the fleet cluster\'s own folder', () => {
  it('is synced by an Application in the management cluster only when it has objects', () => {
    const mgmt = azureMgmt(azurePlatform(), { labels: secure });
    const a = new FleetCluster(mgmt, 'a', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: secure });
    new FleetCluster(mgmt, 'b', { environment: 'dev', cloud: aksCloud('10.21.0.0/16'), labels: secure });
    new ApiObject(a.chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    const files = mgmt.platform.render();
    expect(files.has('clusters/a/_cluster/namespace-team-a.yaml')).toBe(true);
    const app = parse(files.get('clusters/mgmt/argocd/application-cluster-a.yaml')!);
    expect(app.spec).toMatchObject({ project: 'platform', source: { path: 'dist/clusters/a', directory: { recurse: true } }, destination: { name: 'a' } });
    expect(files.has('clusters/mgmt/argocd/application-cluster-b.yaml')).toBe(false);
    // every path an Application references exists in the output
    for (const { obj } of manifests(files)) {
      const p = obj.kind === 'Application' ? obj.spec.source?.path : undefined;
      if (p) expect([...files.keys()].some((f) => `dist/${f}`.startsWith(`${p}/`))).toBe(true);
    }
  });
});

describe('FleetCluster.fromName', () => {
  it('refers to a cluster registered by other means', () => {
    const platform = azurePlatform();
    const c = FleetCluster.fromName(platform, 'legacy', 'legacy-prod', { labels: { environment: 'prod' }, environment: 'prod' });
    expect(c.name).toBe('legacy-prod');
    expect(c.labels).toEqual({ environment: 'prod' });
    expect([...platform.render().keys()]).toEqual(['PLATFORM.md', 'platform.json']);
    expect(() => FleetCluster.fromName(platform, 'bad', 'Legacy')).toThrow('[platform/bad] name: got "Legacy". Allowed: a DNS-1123 label: 1 to 63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit. Fix: rename it, e.g. "legacy".');
  });
});

describe('rules checked at synth', () => {
  it('monitoring-medium needs storage-basic; user stack dependencies too; all reported together', () => {
    const platform = azurePlatform({ stackDependencies: { 'gpu-basic': ['monitoring-basic'] } });
    const mgmt = azureMgmt(platform, { labels: secure });
    new FleetCluster(mgmt, 'a', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: { ...secure, 'monitoring-medium': 'enabled' } });
    new FleetCluster(mgmt, 'b', { environment: 'dev', cloud: aksCloud('10.21.0.0/16'), labels: { ...secure, 'gpu-basic': 'enabled' } });
    expect(() => platform.render()).toThrow(new PlatformValidationError([
      { path: 'platform/mgmt/a', message: 'cluster "a" turns on the stack "monitoring-medium: enabled", which needs "storage-basic: enabled". Fix: add the label "storage-basic": "enabled" to the cluster, or remove "monitoring-medium".' },
      { path: 'platform/mgmt/b', message: 'cluster "b" turns on the stack "gpu-basic: enabled", which needs "monitoring-basic: enabled". Fix: add the label "monitoring-basic": "enabled" to the cluster, or remove "gpu-basic".' },
    ]).message);
  });

  it('security-basic missing is a warning, or an error when the platform asks for it', () => {
    const p1 = azurePlatform();
    const m1 = azureMgmt(p1, { labels: secure });
    new FleetCluster(m1, 'a', { environment: 'dev', cloud: aksCloud('10.20.0.0/16') });
    p1.render();
    expect(p1.warnings).toEqual([{ path: 'platform/mgmt/a', severity: 'warning', message: 'cluster "a" does not turn on "security-basic" (cert-manager, policies, External Secrets). Fix: add the label "security-basic": "enabled".' }]);

    const p2 = azurePlatform({ requireSecurityBasic: true });
    const m2 = azureMgmt(p2, { labels: secure });
    new FleetCluster(m2, 'a', { environment: 'dev', cloud: aksCloud('10.20.0.0/16') });
    expect(() => p2.render()).toThrow(new PlatformValidationError([
      { path: 'platform/mgmt/a', message: 'cluster "a" does not turn on "security-basic" (cert-manager, policies, External Secrets). Fix: add the label "security-basic": "enabled".' },
    ]).message);
  });

  it('CIDRs may repeat across regions, not in one region and never with the management cluster', () => {
    const platform = azurePlatform();
    const mgmt = azureMgmt(platform, { labels: secure });
    new FleetCluster(mgmt, 'eu', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), labels: secure });
    new FleetCluster(mgmt, 'us', { environment: 'dev', cloud: aksCloud('10.20.0.0/16', { location: 'eastus' }), labels: secure });
    expect(platform.validate().filter((p) => p.severity !== 'warning')).toEqual([]);
    new FleetCluster(mgmt, 'eu2', { environment: 'dev', cloud: aksCloud('10.20.128.0/17'), labels: secure });
    new FleetCluster(mgmt, 'us2', { environment: 'dev', cloud: eksCloud('10.0.0.0/16', { region: 'us-east-1' }), labels: secure });
    expect(platform.validate().map((p) => `[${p.path}] ${p.message}`)).toEqual([
      '[platform/mgmt/eu2] network.cidr "10.20.128.0/17" of cluster "eu2" overlaps "10.20.0.0/16" of cluster "eu" (platform/mgmt/eu). Fix: give each cluster its own address range, e.g. a distinct /16.',
      '[platform/mgmt/us2] network.cidr "10.0.0.0/16" of cluster "us2" overlaps "10.0.0.0/16" of cluster "mgmt" (platform/mgmt). Fix: give each cluster its own address range, e.g. a distinct /16.',
    ]);
  });

  it('the environment is one of the platform\'s, in the order the platform declares', () => {
    const platform = azurePlatform({ environments: ['sandbox', 'live'] });
    const mgmt = azureMgmt(platform, { environment: 'live' });
    expect(() => new FleetCluster(mgmt, 'a', { environment: 'dev', cloud: aksCloud('10.20.0.0/16') })).toThrow(
      '[platform/mgmt/a] environment: got "dev". Allowed: one of the platform\'s environments: sandbox, live. Fix: use a declared environment or add it to the Platform\'s environments.');
    expect(new FleetCluster(mgmt, 'b', { environment: 'sandbox', cloud: aksCloud('10.21.0.0/16') }).labels.environment).toBe('sandbox');
  });

  it('a fleet cluster may not run a Kubernetes version the management Argo CD does not support', () => {
    const mgmt = azureMgmt();
    expect(() => new FleetCluster(mgmt, 'a', { environment: 'dev', cloud: Cloud.eks({ region: 'eu-west-1', kubernetesVersion: '1.36', network: { cidr: '10.20.0.0/16' } }) })).toThrow(
      '[platform/mgmt/a] cloud.kubernetesVersion: got "1.36". Allowed: a supported Kubernetes minor version "1.N" from 1.32 to 1.35. Fix: set cloud.kubernetesVersion to a version in that range, e.g. "1.35".');
  });

  it('the management cluster must be able to read the platform secret store', () => {
    expect(() => new ManagementCluster(azurePlatform(), 'mgmt', { cloud: eksCloud() })).toThrow(
      '[platform/mgmt] cloud: got "aws". Allowed: a management cluster on the secret store\'s cloud (Azure Key Vault needs AKS), or a Vault secret store. Fix: host the management cluster where the secret store is (its workload identity reads the store), or use SecretStore.vault().');
  });

  it('rejects a bad add-on name', () => {
    expect(() => new FleetCluster(azureMgmt(), 'a', { environment: 'dev', cloud: aksCloud('10.20.0.0/16'), addons: ['cert-manager'] })).toThrow(
      '[platform/mgmt/a] addons[0]: got "cert-manager". Allowed: a GitOps Bridge add-on name: lower-case letters, digits and "_" (e.g. "cert_manager"). Fix: rename the add-on.');
  });
});
