import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parse } from 'yaml';
import { Catalog, ClusterSelector, Group, HelmChart, PlatformValidationError, PolicySeverity, SecurityPolicyValidation, SecurityRule, ServiceCatalogEntry, TeamService, TenantVCluster } from '../src';
import { checkPlatformOutput } from '../src/policy/policy-pass';
import { awsMgmt, awsPlatform, azureMgmt, azurePlatform } from './support/fixtures';
import { pinsRepo } from './support/pins';

let cases = 0;
afterAll(() => console.log(`policy cases: ${cases}`));

const y = (o: unknown) => stringify(o);
const tf = (o: unknown) => JSON.stringify(o, null, 2);
const check = (files: Record<string, string>) => checkPlatformOutput(new Map(Object.entries(files)), (f) => `platform/${f}`, {});

const tenantNs = (psa: string | undefined) => y({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't', labels: { tenant: 't', ...(psa ? { 'pod-security.kubernetes.io/enforce': psa } : {}) } } });
const fencedTenant = {
  'clusters/c/_cluster/namespace-t.yaml': tenantNs('baseline'),
  'clusters/c/t/resourcequota-q.yaml': y({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 't' }, spec: { hard: { 'requests.cpu': '1' } } }),
  'clusters/c/t/limitrange-l.yaml': y({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 't' }, spec: { limits: [] } }),
  'clusters/c/t/networkpolicy-deny.yaml': y({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 't' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }),
};
const argoApp = (values: unknown, project = 'platform') => y({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'argo-cd', namespace: 'argocd' },
  spec: { project, destination: { name: 'mgmt', namespace: 'argocd' }, sources: [{ chart: 'argo-cd', repoURL: 'https://argoproj.github.io/argo-helm', targetRevision: '10.1.1', helm: { valuesObject: values } }] },
});
const limits = { limits: { memory: '128Mi' } };
const deployment = (podSc: unknown, containerSc: unknown, extra: { resources?: unknown; volumes?: unknown[] } = { resources: limits }) => y({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' },
  spec: { template: { spec: { securityContext: podSc, ...(extra.volumes ? { volumes: extra.volumes } : {}), containers: [{ name: 'web', image: 'nginx:1.27', securityContext: containerSc, resources: extra.resources ?? limits }] } } },
});
const nonRoot = { runAsNonRoot: true };
// built from parts so this test file itself holds nothing that looks like a credential
const fake = {
  aws: ['AKIA', 'Z7Q2XK4M9TPLW3RB'].join(''),
  pem: ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'].join(' '),
  github: ['ghp', '_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join(''),
  gitlab: ['glpat', '-', 'Zx9Yw8Vu7Ts6Rq5Po4Nm'].join(''),
  slack: ['xoxb', '-', '1234567890-abcdefghij'].join(''),
  azure: ['DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=', 'a'.repeat(40), '=='].join(''),
  jwt: ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.'),
  azureClientSecret: ['Xy7', '8Q~', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z'].join(''),
};
// an AWS secret access key has no prefix of its own: it is found by the name it is given
const awsSecretKey = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYz9QWE4RTYk'].join('/');
// a private key base64-encoded, as in a ConfigMap's data or binaryData
const base64Pem = Buffer.from(fake.pem).toString('base64');
const configMap = (data: Record<string, string>) => y({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tls', namespace: 'apps' }, data });
const app = (chart: string, helm: unknown) => y({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: chart, namespace: 'argocd' },
  spec: { project: 'platform', destination: { name: 'mgmt', namespace: chart }, sources: [{ chart, repoURL: 'https://charts.example.dev', targetRevision: '1.0.0', helm }] },
});
const hardenedArgo = { configs: { cm: { 'admin.enabled': false }, rbac: { 'policy.default': 'role:readonly' } } };
const vclusterSecurity = (containerSecurityContext: unknown) => ({ controlPlane: { statefulSet: { security: { containerSecurityContext } } } });
/** An ApplicationSet as the library renders a catalog entry's: each generator's values files spliced in by the templatePatch. */
const catalogAppSet = (chart: string, valueFiles: string[]) => y({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: chart, namespace: 'argocd' },
  spec: {
    generators: valueFiles.map((v) => ({ clusters: { selector: { matchLabels: { environment: 'dev' } }, values: { valueFiles: v } } })),
    template: { spec: { project: 'platform', destination: { name: '{{ .name }}' }, sources: [{ chart, repoURL: 'https://charts.example.dev', helm: { releaseName: chart } }] } },
    templatePatch: 'spec:\n  sources:\n    - helm:\n        valueFiles:\n        {{- range (splitList "," .values.valueFiles) }}\n          - {{ . | quote }}\n        {{- end }}\n',
  },
});
const eks = (vpc: unknown) => tf({ resource: { aws_eks_cluster: { cluster: { vpc_config: vpc } } } });

interface Case { rule: SecurityRule; name: string; failing: Record<string, string>; passing: Record<string, string>; expected: string }
const table: Case[] = [
  {
    rule: SecurityRule.NO_SECRET_DATA, name: 'a Secret with data', expected: 'got Secret "db" with data',
    failing: { 'clusters/c/apps/secret-db.yaml': y({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, data: { password: 'cGFzcw==' } }) },
    passing: { 'clusters/c/apps/secret-db.yaml': y({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, type: 'Opaque' }) },
  },
  {
    rule: SecurityRule.NO_SECRET_DATA, name: 'a Terraform kubernetes_secret with data', expected: 'got kubernetes_secret_v1.db with data',
    failing: { 'terraform/c/cdk.tf.json': tf({ resource: { kubernetes_secret_v1: { db: { metadata: { name: 'db' }, data: { password: 'x' } } } } }) },
    passing: { 'terraform/c/cdk.tf.json': tf({ resource: { kubernetes_secret_v1: { db: { metadata: { name: 'db' } } } } }) },
  },
  ...Object.entries(fake).map(([kind, value]): Case => ({
    rule: SecurityRule.NO_CREDENTIALS, name: `a credential (${kind}) in a values file`, expected: 'no-credentials in "catalog/app/values.yaml": got ',
    failing: { 'catalog/app/values.yaml': `config:\n  token: ${JSON.stringify(value)}\n` },
    passing: { 'catalog/app/values.yaml': 'config:\n  tokenSecretRef: app-credentials\n' },
  })),
  {
    rule: SecurityRule.NO_SECRET_DATA, name: 'a Secret with stringData', expected: 'got Secret "db" with data',
    failing: { 'clusters/c/apps/secret-db.yaml': y({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, stringData: { password: 'hunter2' } }) },
    passing: { 'clusters/c/apps/secret-db.yaml': y({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, stringData: {} }) },
  },
  {
    rule: SecurityRule.NO_SECRET_DATA, name: 'a Secret in the second document of a multi-document file', expected: 'got Secret "db" with data',
    failing: { 'clusters/c/apps/bundle.yaml': `${y({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })}---\n${y({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { p: 'eA==' } })}` },
    passing: { 'clusters/c/apps/bundle.yaml': `${y({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })}---\n${y({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' } })}` },
  },
  {
    rule: SecurityRule.NO_SECRET_DATA, name: 'a Secret inside a List, in JSON-style YAML', expected: 'got Secret "db" with data',
    failing: { 'clusters/c/apps/list.yaml': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { p: 'eA==' } }] }) },
    passing: { 'clusters/c/apps/list.yaml': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' } }] }) },
  },
  {
    rule: SecurityRule.NO_SECRET_DATA, name: 'a Secret applied by Terraform as a kubernetes_manifest', expected: 'got kubernetes_manifest.db with a Secret with data',
    failing: { 'terraform/c/cdk.tf.json': tf({ resource: { kubernetes_manifest: { db: { manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, stringData: { p: 'x' } } } } } }) },
    passing: { 'terraform/c/cdk.tf.json': tf({ resource: { kubernetes_manifest: { db: { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db', namespace: 'apps' }, data: { p: 'x' } } } } } }) },
  },
  ...([
    ['an AWS secret access key in Terraform', 'terraform/c/cdk.tf.json', tf({ provider: { aws: [{ region: 'eu-west-1', access_key: 'AKIA…', secret_key: awsSecretKey }] } }), tf({ provider: { aws: [{ region: 'eu-west-1' }] } }), 'got an AWS secret access key'],
    ['an AWS secret access key in a container environment', 'clusters/c/apps/deployment-web.yaml', y({ env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: awsSecretKey }] }), y({ env: [{ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'aws', key: 'secret' } } }] }), 'got an AWS secret access key'],
    ['an Azure client secret in Helm valuesObject', 'clusters/c/argocd/application-dns.yaml', app('external-dns', { valuesObject: { azure: { aadClientSecret: fake.azureClientSecret } } }), app('external-dns', { valuesObject: { azure: { useWorkloadIdentityExtension: true } } }), 'got an Azure client secret'],
    ['an Azure client secret given by name in a values file', 'catalog/app/values.yaml', y({ auth: { clientSecret: 'p4ssW0rdThatIsLongEnough42' } }), y({ auth: { clientSecret: '$oidc.azure.clientSecret', clientSecretRef: 'app-oidc' } }), 'got an Azure client secret'],
    ['a base64-encoded private key in a ConfigMap', 'clusters/c/apps/configmap-tls.yaml', configMap({ 'tls.key': base64Pem }), configMap({ 'ca.crt': Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64') }), 'got a private key (base64-encoded PEM)'],
  ] as const).map(([name, file, failing, passing, expected]): Case => ({
    rule: SecurityRule.NO_CREDENTIALS, name, expected, failing: { [file]: failing }, passing: { [file]: passing },
  })),
  {
    rule: SecurityRule.TENANT_ISOLATION, name: 'a tenant namespace without PSA, quota, LimitRange and default-deny', expected: 'got tenant namespace "t" without the label pod-security.kubernetes.io/enforce: baseline or restricted, a ResourceQuota, a LimitRange, a default-deny NetworkPolicy',
    failing: { 'clusters/c/_cluster/namespace-t.yaml': tenantNs(undefined) },
    passing: fencedTenant,
  },
  {
    rule: SecurityRule.TENANT_ISOLATION, name: 'a tenant namespace whose quota is in another cluster', expected: 'without a ResourceQuota',
    failing: { ...fencedTenant, 'clusters/c/t/resourcequota-q.yaml': '', 'clusters/other/t/resourcequota-q.yaml': fencedTenant['clusters/c/t/resourcequota-q.yaml'] },
    passing: fencedTenant,
  },
  {
    rule: SecurityRule.NO_WILDCARD_APPPROJECT, name: 'a tenant AppProject with * sources and destinations', expected: 'got AppProject "team" with sourceRepos "*", destination server "*"',
    failing: { 'clusters/c/argocd/appproject-team.yaml': y({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team' }, spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }] } }) },
    passing: {
      'clusters/c/argocd/appproject-team.yaml': y({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team' }, spec: { sourceRepos: ['https://github.com/acme/team.git'], destinations: [{ name: 'vc-team', namespace: '*' }] } }),
      'clusters/c/argocd/appproject-platform.yaml': y({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'platform' }, spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }] } }),
    },
  },
  {
    rule: SecurityRule.NO_DEFAULT_PROJECT, name: 'an Application in the default project', expected: 'got Application "argo-cd" in project "default"',
    failing: { 'clusters/c/argocd/application-argo-cd.yaml': argoApp({ configs: { cm: { 'admin.enabled': false } } }, 'default') },
    passing: { 'clusters/c/argocd/application-argo-cd.yaml': argoApp({ configs: { cm: { 'admin.enabled': false } } }) },
  },
  {
    rule: SecurityRule.NO_DEFAULT_PROJECT, name: 'an ApplicationSet template without a project', expected: 'got ApplicationSet "tools" in project "default"',
    failing: { 'clusters/c/argocd/applicationset-tools.yaml': y({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'tools' }, spec: { template: { spec: { destination: { name: 'x' } } } } }) },
    passing: { 'clusters/c/argocd/applicationset-tools.yaml': y({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'tools' }, spec: { template: { spec: { project: 'platform', destination: { name: 'x' } } } } }) },
  },
  {
    rule: SecurityRule.ARGOCD_HARDENED, name: 'Argo CD with its local admin on and an admin default role', expected: 'configs.cm["admin.enabled"] nothing',
    failing: { 'clusters/c/argocd/application-argo-cd.yaml': argoApp({ configs: { rbac: { 'policy.default': 'role:admin' } } }) },
    passing: { 'clusters/c/argocd/application-argo-cd.yaml': argoApp({ configs: { cm: { 'admin.enabled': false }, rbac: { 'policy.default': 'role:readonly' } } }) },
  },
  {
    rule: SecurityRule.ARGOCD_HARDENED, name: 'Argo CD bootstrapped by Terraform with layered values that turn admin back on', expected: 'got helm_release.argocd installs Argo CD with configs.cm["admin.enabled"] true',
    failing: { 'terraform/c/cdk.tf.json': tf({ resource: { helm_release: { argocd: { chart: 'argo-cd', values: ['configs:\n  cm:\n    admin.enabled: false\n', 'configs:\n  cm:\n    admin.enabled: true\n'] } } } }) },
    passing: { 'terraform/c/cdk.tf.json': tf({ resource: { helm_release: { argocd: { chart: 'argo-cd', values: ['configs:\n  cm:\n    admin.enabled: false\n', 'configs:\n  rbac:\n    policy.default: role:readonly\n'] } } } }) },
  },
  {
    rule: SecurityRule.ARGOCD_HARDENED, name: 'Argo CD whose Application turns admin back on with a Helm parameter', expected: 'got Application "argo-cd" installs Argo CD with configs.cm["admin.enabled"] true',
    failing: { 'clusters/c/argocd/application-argo-cd.yaml': app('argo-cd', { valuesObject: hardenedArgo, parameters: [{ name: 'configs.cm.admin\\.enabled', value: 'true' }] }) },
    passing: { 'clusters/c/argocd/application-argo-cd.yaml': app('argo-cd', { valuesObject: hardenedArgo, parameters: [{ name: 'server.replicas', value: '2' }] }) },
  },
  {
    rule: SecurityRule.ARGOCD_HARDENED, name: 'Argo CD bootstrapped by Terraform with a set block that widens the default role', expected: 'got helm_release.argocd installs Argo CD with configs.rbac["policy.default"] "role:admin"',
    failing: { 'terraform/c/cdk.tf.json': tf({ resource: { helm_release: { argocd: { chart: 'argo-cd', values: [y(hardenedArgo)], set: [{ name: 'configs.rbac.policy\\.default', value: 'role:admin' }] } } } }) },
    passing: { 'terraform/c/cdk.tf.json': tf({ resource: { helm_release: { argocd: { chart: 'argo-cd', values: [y(hardenedArgo)], set: [{ name: 'server.replicas', value: '2' }] } } } }) },
  },
  {
    rule: SecurityRule.ARGOCD_HARDENED, name: 'Argo CD offered as a catalog entry whose values file turns admin back on', expected: 'got ApplicationSet "argo-cd" (values files catalog/argo-cd/values.yaml, catalog/argo-cd/env/dev.yaml) installs Argo CD with configs.cm["admin.enabled"] true',
    failing: {
      'clusters/mgmt/argocd/applicationset-argo-cd.yaml': catalogAppSet('argo-cd', ['$values/gitops/catalog/argo-cd/values.yaml,$values/gitops/catalog/argo-cd/env/dev.yaml']),
      'catalog/argo-cd/values.yaml': y(hardenedArgo),
      'catalog/argo-cd/env/dev.yaml': y({ configs: { cm: { 'admin.enabled': true } } }),
    },
    passing: {
      'clusters/mgmt/argocd/applicationset-argo-cd.yaml': catalogAppSet('argo-cd', ['$values/gitops/catalog/argo-cd/values.yaml,$values/gitops/catalog/argo-cd/env/dev.yaml']),
      'catalog/argo-cd/values.yaml': y(hardenedArgo),
      'catalog/argo-cd/env/dev.yaml': y({ server: { replicas: 2 } }),
    },
  },
  {
    rule: SecurityRule.RESTRICTED_API_ENDPOINT, name: 'an EKS cluster whose allow-list is known only at apply time', expected: 'got aws_eks_cluster.cluster with a public endpoint open to "${var.cidrs}"',
    failing: { 'terraform/c/cdk.tf.json': eks({ endpoint_public_access: true, public_access_cidrs: '${var.cidrs}' }) },
    passing: { 'terraform/c/cdk.tf.json': eks({ endpoint_public_access: false, endpoint_private_access: true }) },
  },
  {
    rule: SecurityRule.RESTRICTED_API_ENDPOINT, name: 'an EKS cluster whose vpc_config block is written as a list', expected: 'got aws_eks_cluster.cluster with a public endpoint open to ["0.0.0.0/0"]',
    failing: { 'terraform/c/cdk.tf.json': eks([{ endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] }]) },
    passing: { 'terraform/c/cdk.tf.json': eks([{ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] }]) },
  },
  {
    rule: SecurityRule.RESTRICTED_API_ENDPOINT, name: 'an AKS cluster that is public with an empty allow-list', expected: 'got azurerm_kubernetes_cluster.cluster with a public API server open to []',
    failing: { 'terraform/c/cdk.tf.json': tf({ resource: { azurerm_kubernetes_cluster: { cluster: { private_cluster_enabled: false, api_server_access_profile: [{ authorized_ip_ranges: [] }] } } } }) },
    passing: { 'terraform/c/cdk.tf.json': tf({ resource: { azurerm_kubernetes_cluster: { cluster: { private_cluster_enabled: false, api_server_access_profile: [{ authorized_ip_ranges: ['203.0.113.0/24'] }] } } } }) },
  },
  {
    rule: SecurityRule.RESTRICTED_API_ENDPOINT, name: 'an EKS cluster with a public endpoint and no allow-list', expected: 'got aws_eks_cluster.cluster with a public endpoint open to ["0.0.0.0/0"]',
    failing: { 'terraform/c/cdk.tf.json': tf({ resource: { aws_eks_cluster: { cluster: { vpc_config: { endpoint_public_access: true } } } } }) },
    passing: { 'terraform/c/cdk.tf.json': tf({ resource: { aws_eks_cluster: { cluster: { vpc_config: { endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] } } } } }) },
  },
  {
    rule: SecurityRule.RESTRICTED_API_ENDPOINT, name: 'an AKS cluster open to 0.0.0.0/0', expected: 'got azurerm_kubernetes_cluster.cluster with a public API server open to ["0.0.0.0/0"]',
    failing: { 'terraform/c/cdk.tf.json': tf({ resource: { azurerm_kubernetes_cluster: { cluster: { api_server_access_profile: { authorized_ip_ranges: ['0.0.0.0/0'] } } } } }) },
    passing: { 'terraform/c/cdk.tf.json': tf({ resource: { azurerm_kubernetes_cluster: { cluster: { private_cluster_enabled: true } } } }) },
  },
  {
    rule: SecurityRule.NO_HOST_PATH, name: 'a pod that mounts a path of the node', expected: 'got Deployment "web" with hostPath volumes "logs" ("/var/log")',
    failing: { 'clusters/c/apps/deployment-web.yaml': deployment(nonRoot, {}, { resources: limits, volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] }) },
    passing: { 'clusters/c/apps/deployment-web.yaml': deployment(nonRoot, {}, { resources: limits, volumes: [{ name: 'logs', emptyDir: {} }] }) },
  },
  {
    rule: SecurityRule.RESOURCE_LIMITS, name: 'a container without a memory limit', expected: 'got Deployment "web" with containers without a memory limit: "web"',
    failing: { 'clusters/c/apps/deployment-web.yaml': deployment(nonRoot, {}, { resources: { requests: { memory: '64Mi' }, limits: { cpu: '1' } } }) },
    passing: { 'clusters/c/apps/deployment-web.yaml': deployment(nonRoot, {}, { resources: { requests: { memory: '64Mi' }, limits: { memory: '64Mi' } } }) },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'a privileged container running as root', expected: 'got Deployment "web" container "web" with privileged: true, runAsUser: 0',
    failing: { 'clusters/c/apps/deployment-web.yaml': deployment({ runAsUser: 0 }, { privileged: true }) },
    passing: { 'clusters/c/apps/deployment-web.yaml': deployment({ runAsNonRoot: true }, { runAsUser: 10001, allowPrivilegeEscalation: false }) },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'a container that may run as root (no runAsNonRoot)', expected: 'with no runAsNonRoot: true and no runAsUser',
    failing: { 'clusters/c/apps/deployment-web.yaml': deployment(undefined, undefined) },
    passing: { 'clusters/c/apps/deployment-web.yaml': deployment(undefined, { runAsNonRoot: true }) },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'a non-root container that may escalate its privileges', expected: 'got Deployment "web" container "web" with allowPrivilegeEscalation: true',
    failing: { 'clusters/c/apps/deployment-web.yaml': deployment({ runAsNonRoot: true }, { allowPrivilegeEscalation: true }) },
    passing: { 'clusters/c/apps/deployment-web.yaml': deployment({ runAsNonRoot: true }, { allowPrivilegeEscalation: false }) },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'a container that overrides a non-root pod with runAsUser 0', expected: 'got Deployment "web" container "web" with runAsUser: 0',
    failing: { 'clusters/c/apps/deployment-web.yaml': deployment({ runAsNonRoot: true, runAsUser: 1000 }, { runAsUser: 0 }) },
    passing: { 'clusters/c/apps/deployment-web.yaml': deployment({ runAsNonRoot: true, runAsUser: 1000 }, { readOnlyRootFilesystem: true }) },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'Helm values that let a chart escalate privileges', expected: 'got values set controller.containerSecurityContext.allowPrivilegeEscalation: true',
    failing: { 'catalog/app/values.yaml': 'controller:\n  containerSecurityContext:\n    allowPrivilegeEscalation: true\n' },
    passing: { 'catalog/app/values.yaml': 'controller:\n  containerSecurityContext:\n    allowPrivilegeEscalation: false\n' },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'a vCluster left on its chart\'s default (the control plane runs as root)', expected: 'got Application "vcluster" installs vcluster with controlPlane.statefulSet.security.containerSecurityContext runAsUser nothing (the chart\'s default is 0, root)',
    failing: { 'clusters/c/argocd/application-vcluster.yaml': app('vcluster', { valuesObject: { controlPlane: { statefulSet: { highAvailability: { replicas: 1 } } } } }) },
    passing: { 'clusters/c/argocd/application-vcluster.yaml': app('vcluster', { valuesObject: vclusterSecurity({ allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 12345 }) }) },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'a vCluster offered as a catalog entry without values (its chart\'s default runs as root)', expected: 'got ApplicationSet "vcluster" installs vcluster with controlPlane.statefulSet.security.containerSecurityContext runAsUser nothing',
    failing: { 'clusters/mgmt/argocd/applicationset-vcluster.yaml': catalogAppSet('vcluster', ['']) },
    passing: {
      'clusters/mgmt/argocd/applicationset-vcluster.yaml': catalogAppSet('vcluster', ['$values/catalog/vcluster/values.yaml']),
      'catalog/vcluster/values.yaml': y(vclusterSecurity({ runAsNonRoot: true, runAsUser: 12345 })),
    },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'a vCluster installed by Terraform that a set block puts back to root', expected: 'got helm_release.vc values set controlPlane.statefulSet.security.containerSecurityContext.runAsUser: 0',
    failing: { 'terraform/c/cdk.tf.json': tf({ resource: { helm_release: { vc: { chart: 'vcluster', values: [y(vclusterSecurity({ runAsNonRoot: true, runAsUser: 12345 }))], set: [{ name: 'controlPlane.statefulSet.security.containerSecurityContext.runAsUser', value: '0' }] } } } }) },
    passing: { 'terraform/c/cdk.tf.json': tf({ resource: { helm_release: { vc: { chart: 'vcluster', values: [y(vclusterSecurity({ runAsNonRoot: true, runAsUser: 12345 }))] } } } }) },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'a Helm parameter that makes an Application\'s chart privileged', expected: 'got Application "app" Helm values set controller.securityContext.privileged: true',
    failing: { 'clusters/c/argocd/application-app.yaml': app('app', { parameters: [{ name: 'controller.securityContext.privileged', value: 'true' }] }) },
    passing: { 'clusters/c/argocd/application-app.yaml': app('app', { parameters: [{ name: 'controller.securityContext.privileged', value: 'false' }] }) },
  },
  {
    rule: SecurityRule.NO_PRIVILEGED_CONTAINERS, name: 'Helm values that make a chart privileged', expected: 'got values set controller.securityContext.privileged: true',
    failing: { 'catalog/app/values.yaml': 'controller:\n  securityContext:\n    privileged: true\n' },
    passing: { 'catalog/app/values.yaml': 'controller:\n  securityContext:\n    privileged: false\n    runAsNonRoot: true\n' },
  },
];

describe('the security policy pass: each rule has a failing and a passing example', () => {
  for (const c of table) {
    it(`${c.rule}: reports ${c.name}, and passes the fixed version`, () => {
      cases += 2;
      const failing = check(c.failing);
      expect(failing.map((p) => p.message).join('\n')).toContain(c.expected);
      expect(failing.every((p) => p.message.startsWith(`${c.rule} in "`) && / Allowed: .*\. Fix: .*\.$/.test(p.message))).toBe(true);
      expect(failing[0].path).toMatch(/^platform\//);
      expect(failing[0].severity).toBe('error');
      expect(check(c.passing)).toEqual([]);
    });
  }

  it('never repeats a credential in its message (only the first characters)', () => {
    cases++;
    const [p] = check({ 'catalog/app/values.yaml': `token: ${fake.github}\n` });
    expect(p.message).toBe('no-credentials in "catalog/app/values.yaml": got a GitHub token on line 1 ("ghp_…"). Allowed: no credentials in the output: it is committed to Git. Fix: store the value in the platform secret store and reference it with an ExternalSecret, then rotate the exposed credential.');
    expect(p.message).not.toContain(fake.github);
  });

  it('does not mistake the library\'s own output for credentials (UUIDs, ARNs, digests, base64 CA placeholders)', () => {
    cases++;
    expect(check({
      'catalog/app/values.yaml': y({
        clientId: '00000000-0000-0000-0000-0000000000bb', role: 'arn:aws:iam::123456789012:role/platform-admins',
        image: 'ghcr.io/acme/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
        template: '{{ .Values.token }}', ref: 'secretKeyRef: github-token', kms: 'alias/aws/secretsmanager',
      }),
    })).toEqual([]);
  });
});

describe('the policy pass runs on every render of a platform', () => {
  function tenantPlatform(policies?: Record<string, string>) {
    const platform = azurePlatform(policies ? { policies: policies as never } : {});
    const mgmt = azureMgmt(platform, { labels: { 'security-basic': 'enabled' } });
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), repositories: ['https://github.com/acme/team-a.git'] });
    return { platform, mgmt };
  }

  it('finds nothing in what the library renders (management cluster, Argo CD, tenant)', () => {
    cases++;
    const { platform } = tenantPlatform();
    platform.render();
    expect(platform.warnings.filter((w) => /^[a-z-]+ in "/.test(w.message))).toEqual([]);
  });

  it('checks TeamService\'s Deployment and migration Job and the vCluster values: non-root, unprivileged, no privilege escalation', () => {
    cases += 2;
    const platform = awsPlatform({ environments: ['prod'] });
    const mgmt = awsMgmt(platform, { labels: { 'security-basic': 'enabled', 'core-basic': 'enabled' } });
    Catalog.gatewayApi(platform, { https: {} });
    Catalog.certManager(platform); // the HTTPS listener's wildcard Certificate
    const tenant = new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a') });
    const root = pinsRepo({ 'services/team-a/checkout/prod.json': { cluster: 'vc-team-a', imageTag: '1.4.2-aaaaaaa', targetRevision: 'a'.repeat(40) } });
    new TeamService(tenant, 'checkout', { team: 'team-a', image: 'ghcr.io/acme/checkout', port: 8080, repositoryRoot: root, migration: { command: ['./migrate', 'up'] } });
    const files = platform.render(); // the policy pass ran over every file, with every rule an error
    const workloads = ['tenants/team-a/services/checkout/deployment-checkout.yaml', 'tenants/team-a/services/checkout/job-checkout-migrate.yaml'];
    for (const f of workloads) {
      const spec = parse(files.get(f)!).spec.template.spec;
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
      for (const c of spec.containers) expect(c.securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, runAsNonRoot: true });
    }
    const vc = parse(files.get('clusters/mgmt/argocd/application-vcluster-team-a.yaml')!).spec.sources[0].helm.valuesObject;
    expect(vc.controlPlane.statefulSet.security.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 12345 });
    // the same files with one setting flipped are refused: the pass does read them
    const flipped = new Map(workloads.map((f) => [f, files.get(f)!.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true')]));
    expect(checkPlatformOutput(flipped, (f) => f, {}).map((p) => p.message.split(': got ')[1].split('. Allowed')[0])).toEqual([
      'Deployment "checkout" container "checkout" with allowPrivilegeEscalation: true',
      'Job "checkout-migrate" container "migrate" with allowPrivilegeEscalation: true',
    ]);
  });

  it('judges a catalog entry\'s chart on the values files its ApplicationSet layers (Argo CD hardening, vCluster\'s root default)', () => {
    cases += 3;
    const entry = (values: Record<string, unknown>, chart = 'argo-cd') => {
      const { platform } = tenantPlatform();
      new ServiceCatalogEntry(platform, 'tools', {
        chart: HelmChart.fromRepository({ repository: 'https://charts.example.dev', chart, version: '1.0.0' }), namespace: 'tools',
        targets: ClusterSelector.labels({ 'security-basic': 'enabled' }), values, environmentValues: { dev: { server: { replicas: 2 } } },
      });
      return platform;
    };
    expect(() => entry(hardenedArgo).render()).not.toThrow();
    expect(() => entry({ configs: { cm: { 'admin.enabled': true } } }).render()).toThrow('argocd-hardened in "clusters/mgmt/argocd/applicationset-tools.yaml": got ApplicationSet "tools" (values files catalog/tools/values.yaml) installs Argo CD with configs.cm["admin.enabled"] true.');
    expect(() => entry({ controlPlane: { statefulSet: { highAvailability: { replicas: 1 } } } }, 'vcluster').render()).toThrow('no-privileged-or-root-containers in "clusters/mgmt/argocd/applicationset-tools.yaml": got ApplicationSet "tools" (values files catalog/tools/values.yaml) installs vcluster with controlPlane.statefulSet.security.containerSecurityContext runAsUser nothing (the chart\'s default is 0, root).');
    expect(() => entry(vclusterSecurity({ runAsNonRoot: true, runAsUser: 12345 }), 'vcluster').render()).not.toThrow();
  });

  it('stops synthesis with the construct path of what a user added through the escape hatch, and writes nothing', () => {
    cases++;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')) + '/dist';
    const { platform, mgmt } = tenantPlatform();
    new ApiObject(mgmt.chart, 'db-credentials', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, stringData: { password: 'hunter2' } });
    expect(() => platform.render()).toThrow(PlatformValidationError);
    expect(() => platform.render()).toThrow('[mgmt/db-credentials] no-secret-data in "clusters/mgmt/apps/secret-db.yaml": got Secret "db" with data. Allowed: Secrets without data only (credentials never go to Git). Fix: put the value in the platform secret store and create the Secret with an ExternalSecret.');
    expect(() => azurePlatform({ outdir }) && platform.synth()).toThrow(PlatformValidationError);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it('reports a rule set to warning in platform.warnings and goes on; a rule set to off does not run', () => {
    cases += 2;
    const warn = tenantPlatform({ [SecurityRule.NO_SECRET_DATA]: PolicySeverity.WARNING });
    new ApiObject(warn.mgmt.chart, 'db', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, data: { a: 'Yg==' } });
    const files = warn.platform.render();
    expect(files.has('clusters/mgmt/apps/secret-db.yaml')).toBe(true);
    expect(warn.platform.warnings.filter((w) => !w.message.includes(' is exposed through ') && !w.message.includes(' gets no DNS record') && !w.message.includes('not Entra ID object ids')).map((w) => `${w.severity} [${w.path}] ${w.message.slice(0, 40)}`)).toEqual(['warning [mgmt/db] no-secret-data in "clusters/mgmt/apps/se']);
    const off = tenantPlatform({ [SecurityRule.NO_SECRET_DATA]: PolicySeverity.OFF });
    new ApiObject(off.mgmt.chart, 'db', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, data: { a: 'Yg==' } });
    off.platform.render();
    expect(off.platform.warnings.filter((w) => w.message.startsWith('no-secret-data'))).toEqual([]);
  });

  it('rejects an unknown rule or severity when the platform is declared', () => {
    cases++;
    expect(() => azurePlatform({ policies: { 'no-secrets': 'off' } as never })).toThrow('[platform] policies key: got "no-secrets". Allowed: "no-secret-data", "no-credentials"');
    expect(() => azurePlatform({ policies: { 'no-secret-data': 'ignore' } as never })).toThrow('[platform] policies["no-secret-data"]: got "ignore". Allowed: "error", "warning" or "off". Fix: use a PolicySeverity value.');
  });
});

describe('the same checks as a cdk8s validation plugin', () => {
  // loaded the way cdk8s synth loads a `validations:` entry of cdk8s.yaml
  const cli = path.resolve(__dirname, '../node_modules/cdk8s-cli/lib/plugins');
  const { ValidationContext } = require(path.join(cli, 'validation.js'));
  const { PluginManager } = require(path.join(cli, '_manager.js'));

  function manifestsDir(objects: unknown[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
    return dir;
  }

  it('is found by class name in a local package and reports a failing manifest as cdk8s-cli does', async () => {
    cases++;
    // PluginManager.load requires the package and calls `new module[class](properties)`; the
    // CLI's own require cannot read TypeScript sources, so the same two steps are done here
    expect(typeof PluginManager.prototype.load).toBe('function');
    const mod = await import('../src') as unknown as Record<string, new (props: unknown) => unknown>;
    const loaded = { instance: new mod.SecurityPolicyValidation({}) };
    expect(loaded.instance).toBeInstanceOf(SecurityPolicyValidation);
    const dir = manifestsDir([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { p: 'eA==' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { runAsNonRoot: true }, resources: { limits: { memory: '64Mi' } } }] } } } },
    ]);
    const context = new ValidationContext([path.join(dir, 'app.k8s.yaml')], 'cdk8s-gitops-platform', '0.0.0', {}, false);
    await (loaded.instance as SecurityPolicyValidation).validate(context);
    expect(context.report.success).toBe(false);
    const json = context.report.toJson();
    expect(json.violations.map((v: { ruleName: string }) => v.ruleName)).toEqual(['no-secret-data']);
    expect(json.violations[0].fix).toBe('put the value in the platform secret store and create the Secret with an ExternalSecret');
  });

  it('passes clean manifests, and logs rules set to warning instead of failing', async () => {
    cases += 2;
    const dir = manifestsDir([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { limits: { memory: '64Mi' } } }] } } } }]);
    const strict = new ValidationContext([path.join(dir, 'app.k8s.yaml')], 'p', '0.0.0', {}, false);
    await new SecurityPolicyValidation().validate(strict);
    expect(strict.report.success).toBe(false);
    const lenient = new ValidationContext([path.join(dir, 'app.k8s.yaml')], 'p', '0.0.0', {}, false);
    const logged: string[] = [];
    lenient.logger.log = (m: string) => logged.push(m);
    await new SecurityPolicyValidation({ policies: { [SecurityRule.NO_PRIVILEGED_CONTAINERS]: PolicySeverity.WARNING } }).validate(lenient);
    expect(lenient.report.success).toBe(true);
    expect(logged[0]).toMatch(/^warning: no-privileged-or-root-containers in ".*app\.k8s\.yaml": got Deployment "web" container "web" with no runAsNonRoot: true/);
  });
});

describe('the plugin end to end with `cdk8s synth` (offline, local package)', () => {
  it('fails the synth on a Secret with data and names the construct', () => {
    cases++;
    const { spawnSync } = require('node:child_process');
    const root = path.resolve(__dirname, '..');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-plugin-e2e-'));
    // the CLI requires plain JavaScript: this local package loads the TypeScript sources through tsx
    fs.writeFileSync(path.join(dir, 'plugin.js'), `require(${JSON.stringify(path.join(root, 'node_modules/tsx/dist/cjs/api/index.cjs'))}).register();\nmodule.exports = require(${JSON.stringify(path.join(root, 'src/index.ts'))});\n`);
    fs.writeFileSync(path.join(dir, 'main.js'), [
      `const { App, Chart, ApiObject } = require(${JSON.stringify(path.join(root, 'node_modules/cdk8s'))});`,
      'const app = new App();',
      "const chart = new Chart(app, 'demo');",
      "new ApiObject(chart, 'db-secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { p: 'x' } });",
      'app.synth();',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\noutput: dist\nvalidations:\n  - package: ./plugin.js\n    version: 0.0.0\n    class: SecurityPolicyValidation\n');
    const run = spawnSync(path.join(root, 'node_modules/.bin/cdk8s'), ['synth', '--check-upgrade=false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('no-secret-data (1 occurrences)');
    expect(run.stdout).toContain('Construct Path: demo/db-secret');
  });
});

describe('secrets that hide from a plain scan (issue: round two)', () => {
  // built from parts, as above
  const kubeconfig = (user: string) => [
    'apiVersion: v1', 'kind: Config', 'clusters:', '- name: c', '  cluster:', '    server: https://10.0.0.1', 'users:', '- name: u', '  user:', user, 'contexts: []', '',
  ].join('\n');
  const opaque = ['sha256', '~', 'Zk3q9TnV2wXy7bLm4PqR8sTu1vWx5yZa'].join('');
  const dockerAuth = Buffer.from(['robot', ':', 'Pa55w0rd-for-registry'].join('')).toString('base64');
  const npmToken = ['npm', '_', 'Ab3dEf5hIj7lMn9pQr1tUv3xYz5bCd7fGh9j'].join('');
  const secretManifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2' } };
  const vclusterApp = (manifests: string) => app('vcluster', { valuesObject: { controlPlane: { statefulSet: { security: { containerSecurityContext: { runAsUser: 12345, runAsNonRoot: true } } } }, experimental: { deploy: { vcluster: { manifests } } } } });
  const externalSecret = (data: Record<string, string>) => y({
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'db', namespace: 'apps' },
    spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform' }, target: { name: 'db', template: { engineVersion: 'v2', data } }, data: [{ secretKey: 'password', remoteRef: { key: 'db', property: 'password' } }] },
  });
  const helmRelease = (values: string) => tf({ resource: { helm_release: { tool: { chart: 'tool', values: [values] } } } });
  const cases2: Case[] = [
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'a credential in env entries inside Terraform helm_release.values', expected: 'got an AWS secret access key on line',
      failing: { 'terraform/c/cdk.tf.json': helmRelease(`env:\n  - name: AWS_SECRET_ACCESS_KEY\n    value: ${awsSecretKey}\n`) },
      passing: { 'terraform/c/cdk.tf.json': helmRelease('env:\n  - name: AWS_REGION\n    value: eu-west-1\n') },
    },
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'AZURE_CLIENT_SECRET as a name/value env entry', expected: 'got an Azure client secret',
      failing: { 'clusters/c/apps/deployment-web.yaml': y({ env: [{ name: 'AZURE_CLIENT_SECRET', value: 'p4ssW0rdThatIsLongEnough42' }] }) },
      passing: { 'clusters/c/apps/deployment-web.yaml': y({ env: [{ name: 'AZURE_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'azure', key: 'secret' } } }] }) },
    },
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'a base64-encoded kubeconfig with a token', expected: 'got a token or password, base64-encoded',
      failing: { 'clusters/c/apps/configmap-kube.yaml': configMap({ config: Buffer.from(kubeconfig(`    token: ${opaque}`)).toString('base64') }) },
      passing: { 'clusters/c/apps/configmap-kube.yaml': configMap({ config: Buffer.from(kubeconfig('    exec: { command: kubelogin }')).toString('base64') }) },
    },
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'base64 of YAML holding a private key', expected: 'got a private key (PEM), base64-encoded',
      failing: { 'clusters/c/apps/configmap-tls.yaml': configMap({ 'values.yaml': Buffer.from(y({ tls: { key: fake.pem } })).toString('base64') }) },
      passing: { 'clusters/c/apps/configmap-tls.yaml': configMap({ 'values.yaml': Buffer.from(y({ tls: { secretName: 'web-tls' } })).toString('base64') }) },
    },
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'a kubeconfig token, in plain text', expected: 'got a token or password on line',
      failing: { 'clusters/c/apps/configmap-kube.yaml': configMap({ config: kubeconfig(`    token: ${opaque}`) }) },
      passing: { 'clusters/c/apps/configmap-kube.yaml': configMap({ config: kubeconfig('    tokenFile: /var/run/secrets/token') }) },
    },
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'an opaque bearer token in a header', expected: 'got a bearer token',
      failing: { 'catalog/app/values.yaml': y({ probe: { headers: { Authorization: `Bearer ${opaque}` } } }) },
      passing: { 'catalog/app/values.yaml': y({ probe: { headers: { Authorization: 'Bearer {{ .token }}' } } }) },
    },
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'a docker config "auth"', expected: 'got a container registry login (docker config "auth")',
      failing: { 'catalog/app/values.yaml': JSON.stringify({ auths: { 'registry.acme.dev': { auth: dockerAuth } } }) },
      passing: { 'catalog/app/values.yaml': JSON.stringify({ auths: { 'registry.acme.dev': { auth: { enabled: true } } } }) },
    },
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'an AWS secret key spelled aws-secret-access-key', expected: 'got an AWS secret access key',
      failing: { 'catalog/app/values.yaml': `aws-secret-access-key: ${awsSecretKey}\n` },
      passing: { 'catalog/app/values.yaml': 'aws-secret-access-key-ref: aws-credentials\n' },
    },
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'an npm token (found by the maintained scanner\'s rules)', expected: 'got a credential (npm: NPM_ACCESS_TOKEN)',
      failing: { 'catalog/app/values.yaml': `registry:\n  npmrc: "//registry.example.dev/:_authToken=${npmToken}"\n` },
      passing: { 'catalog/app/values.yaml': 'registry:\n  npmrcSecret: npm-credentials\n' },
    },
    {
      rule: SecurityRule.NO_CREDENTIALS, name: 'a password in a URL (found by the maintained scanner\'s rules)', expected: 'got a credential (basicauth: BasicAuth)',
      failing: { 'catalog/app/values.yaml': `proxy: https://robot:${['Pa55', 'w0rd'].join('')}@proxy.acme.dev:3128\n` },
      passing: { 'catalog/app/values.yaml': 'proxy: https://proxy.acme.dev:3128\n' },
    },
    {
      rule: SecurityRule.NO_SECRET_DATA, name: 'a Secret nested in chart values (extraObjects)', expected: 'got values holding a Secret with data at extraObjects[0] (Secret "db")',
      failing: { 'catalog/app/values.yaml': y({ extraObjects: [secretManifest] }) },
      passing: { 'catalog/app/values.yaml': y({ extraObjects: [{ ...secretManifest, stringData: undefined, kind: 'ConfigMap' }] }) },
    },
    {
      rule: SecurityRule.NO_SECRET_DATA, name: 'a SecretList', expected: 'got Secret "db" with data',
      failing: { 'clusters/c/apps/secrets.yaml': y({ apiVersion: 'v1', kind: 'SecretList', items: [secretManifest] }) },
      passing: { 'clusters/c/apps/secrets.yaml': y({ apiVersion: 'v1', kind: 'SecretList', items: [{ ...secretManifest, stringData: undefined }] }) },
    },
    {
      rule: SecurityRule.NO_SECRET_DATA, name: 'an ExternalSecret whose template holds literal data', expected: 'got ExternalSecret "db" with literal credentials in its template (spec.target.template.data.password)',
      failing: { 'clusters/c/apps/externalsecret-db.yaml': externalSecret({ username: 'app', password: 'hunter2-literal' }) },
      passing: { 'clusters/c/apps/externalsecret-db.yaml': externalSecret({ username: 'app', password: '{{ .password }}' }) },
    },
    {
      rule: SecurityRule.NO_SECRET_DATA, name: 'a Secret among vCluster raw manifests (a YAML string in the values)', expected: 'holding a Secret with data at spec.sources[0].helm.valuesObject.experimental.deploy.vcluster.manifests (document 1: Secret "db")',
      failing: { 'clusters/c/argocd/application-vcluster.yaml': vclusterApp(y(secretManifest)) },
      passing: { 'clusters/c/argocd/application-vcluster.yaml': vclusterApp(y({ ...secretManifest, kind: 'ConfigMap', stringData: undefined })) },
    },
    {
      rule: SecurityRule.NO_SECRET_DATA, name: 'a Secret whose stringData arrives through a YAML merge key', expected: 'got Secret "db" with data',
      failing: { 'clusters/c/apps/secret-db.yaml': 'base: &base\n  stringData:\n    password: hunter2\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n<<: *base\n' },
      passing: { 'clusters/c/apps/secret-db.yaml': 'base: &base\n  type: Opaque\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n<<: *base\n' },
    },
  ];
  for (const c of cases2) {
    it(`${c.rule}: reports ${c.name}, and passes the fixed version`, () => {
      cases += 2;
      const failing = check(c.failing);
      expect(failing.map((p) => p.message).join('\n')).toContain(c.expected);
      expect(failing.every((p) => / Allowed: .*\. Fix: .*\.$/.test(p.message))).toBe(true);
      expect(check(c.passing)).toEqual([]);
    });
  }

  it('the cdk8s plugin sees stringData that arrives through a YAML merge key', async () => {
    cases++;
    const cli = path.resolve(__dirname, '../node_modules/cdk8s-cli/lib/plugins');
    const { ValidationContext } = require(path.join(cli, 'validation.js'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-merge-'));
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), 'base: &base\n  stringData:\n    password: hunter2\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n<<: *base\n');
    const context = new ValidationContext([path.join(dir, 'app.k8s.yaml')], 'p', '0.0.0', {}, false);
    await new SecurityPolicyValidation().validate(context);
    expect(context.report.toJson().violations.map((v: { ruleName: string }) => v.ruleName)).toEqual(['no-secret-data']);
  });
});
