import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runPolicyChecks } from '../src/policy/checks';
import { POLICY_RULES } from '../src/policy/rules/registry';
import { SECURITY_RULES } from '../src/policy/security-rule';

// One output that breaks every rule at every point of the walk: values files, objects (with a
// Secret held as text), Applications' chart installs, Terraform documents and helm_releases.
const FILES = [
  { file: 'clusters/a/values/risky.yaml', text: stringify({ securityContext: { privileged: true, runAsUser: 0 }, extraObjects: [{ kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' } }] }), scope: 'clusters/a/' },
  { file: 'clusters/a/apps/deployment-x.yaml', text: stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 't1', annotations: { held: stringify({ kind: 'Secret', data: { a: 'b' } }) } }, spec: { template: { spec: { volumes: [{ name: 'h', hostPath: { path: '/var' } }], containers: [{ name: 'c', securityContext: { privileged: true } }] } } } }), scope: 'clusters/a/' },
  { file: 'clusters/a/apps/secret-s.yaml', text: stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'x' } }), scope: 'clusters/a/' },
  { file: 'clusters/a/apps/namespace-t1.yaml', text: stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't1', labels: { tenant: 't1' } } }), scope: 'clusters/a/' },
  { file: 'clusters/a/apps/appproject-t1.yaml', text: stringify({ kind: 'AppProject', metadata: { name: 't1' }, spec: { sourceRepos: ['*'], destinations: [{ server: '*' }] } }), scope: 'clusters/a/' },
  { file: 'clusters/a/apps/configmap-argocd-cm.yaml', text: stringify({ kind: 'ConfigMap', metadata: { name: 'argocd-cm' }, data: { 'admin.enabled': 'true' } }), scope: 'clusters/a/' },
  { file: 'clusters/a/apps/application-argo.yaml', text: stringify({ kind: 'Application', metadata: { name: 'argo' }, spec: { project: 'default', source: { chart: 'argo-cd', helm: { values: 'configs: {rbac: {policy.default: role:admin}}', valuesObject: { configs: { cm: { 'admin.enabled': true } } }, parameters: [{ name: 'server.securityContext.runAsUser', value: '0' }] } } } }), scope: 'clusters/a/' },
  { file: 'clusters/a/apps/application-vc.yaml', text: stringify({ kind: 'Application', metadata: { name: 'vc' }, spec: { project: 'p', source: { chart: 'vcluster', helm: { valuesObject: { controlPlane: { statefulSet: { security: { containerSecurityContext: { runAsUser: null } } } } } } } } }), scope: 'clusters/a/' },
  { file: 'terraform/a/main.tf.json', text: JSON.stringify({ resource: {
    aws_eks_cluster: { e: { vpc_config: [{ public_access_cidrs: ['0.0.0.0/0'] }] } },
    kubernetes_secret: { k: { data: { a: 'b' } } },
    null_resource: { n: { triggers: { key: ['AKIA', 'IOSFODNN7EXAMPLE'].join('') } } },
    azurerm_kubernetes_cluster: { k: { api_server_access_profile: [{ authorized_ip_ranges: ['${var.x}'] }] } },
    kubernetes_manifest: { m: { manifest: { kind: 'Secret', metadata: { name: 'm' }, data: { a: 'b' } } } },
    helm_release: {
      argocd: { chart: 'argo-cd', values: ['configs:\n  cm:\n    admin.enabled: "true"\nkind: x\nsecret: {kind: Secret, data: {a: b}}\n'], set: [{ name: 'configs.rbac.policy\\.default', value: 'role:admin' }], set_sensitive: [{ name: 'p', value: 'literal' }] },
      apps: { chart: 'argocd-apps', values: ['projects:\n  p1: {sourceRepos: ["*"]}\napplications:\n  a1: {project: default}\n', 'projects:\n  p2: {destinations: [{name: "*"}]}\n'] },
    },
  } }, null, 2), scope: 'terraform/a/' },
];

describe('policy rules: one file per rule, one rule list', () => {
  it('lists every security rule once, each in the file named after its id', async () => {
    expect(POLICY_RULES.map((r) => r.rule).sort()).toEqual([...SECURITY_RULES].sort());
    for (const r of POLICY_RULES) {
      const file = path.join(__dirname, '..', 'src', 'policy', 'rules', `${r.rule}.ts`);
      expect(fs.existsSync(file), file).toBe(true);
      expect(Object.values(await import(file) as Record<string, unknown>)).toContain(r);
    }
  });

  it('reports the findings in the order the pass reported them before the split (rule, file, object)', () => {
    const findings = runPolicyChecks(FILES, { rules: new Set(SECURITY_RULES), platformProjects: new Set(['platform']) });
    expect(findings.map((f) => [f.rule, f.file, f.resource ? `${f.resource.kind}/${f.resource.name}` : undefined])).toEqual([
      ['no-privileged-or-root-containers', 'clusters/a/values/risky.yaml', undefined],
      ['no-privileged-or-root-containers', 'clusters/a/values/risky.yaml', undefined],
      ['no-secret-data', 'clusters/a/values/risky.yaml', undefined],
      ['no-secret-data', 'clusters/a/apps/deployment-x.yaml', "Deployment/x"],
      ['no-privileged-or-root-containers', 'clusters/a/apps/deployment-x.yaml', "Deployment/x"],
      ['no-host-path', 'clusters/a/apps/deployment-x.yaml', "Deployment/x"],
      ['resource-limits', 'clusters/a/apps/deployment-x.yaml', "Deployment/x"],
      ['no-secret-data', 'clusters/a/apps/secret-s.yaml', "Secret/s"],
      ['no-wildcard-appproject', 'clusters/a/apps/appproject-t1.yaml', "AppProject/t1"],
      ['argocd-hardened', 'clusters/a/apps/configmap-argocd-cm.yaml', "ConfigMap/argocd-cm"],
      ['no-default-project', 'clusters/a/apps/application-argo.yaml', "Application/argo"],
      ['restricted-api-endpoint', 'terraform/a/main.tf.json', undefined],
      ['restricted-api-endpoint', 'terraform/a/main.tf.json', undefined],
      ['no-secret-data', 'terraform/a/main.tf.json', undefined],
      ['no-secret-data', 'terraform/a/main.tf.json', undefined],
      ['no-secret-data', 'terraform/a/main.tf.json', undefined],
      ['no-secret-data', 'terraform/a/main.tf.json', undefined],
      ['argocd-hardened', 'terraform/a/main.tf.json', undefined],
      ['argocd-hardened', 'terraform/a/main.tf.json', undefined],
      ['no-wildcard-appproject', 'terraform/a/main.tf.json', undefined],
      ['no-default-project', 'terraform/a/main.tf.json', undefined],
      ['no-wildcard-appproject', 'terraform/a/main.tf.json', undefined],
      ['argocd-hardened', 'clusters/a/apps/application-argo.yaml', "Application/argo"],
      ['no-privileged-or-root-containers', 'clusters/a/apps/application-argo.yaml', "Application/argo"],
      ['no-privileged-or-root-containers', 'clusters/a/apps/application-vc.yaml', "Application/vc"],
      ['no-credentials', 'terraform/a/main.tf.json', undefined],
      ['tenant-namespace-isolation', 'clusters/a/apps/namespace-t1.yaml', undefined],
    ]);
    // a rule set to off does not run, and the others keep their findings
    const without = runPolicyChecks(FILES, { rules: new Set(SECURITY_RULES.filter((r) => r !== 'no-secret-data')), platformProjects: new Set(['platform']) });
    expect(without.map((f) => f.message)).toEqual(findings.filter((f) => f.rule !== 'no-secret-data').map((f) => f.message));
  });

  it('keeps the messages in the one format: rule, file, what was found, what is allowed, the fix', () => {
    const findings = runPolicyChecks(FILES, { rules: new Set(SECURITY_RULES), platformProjects: new Set(['platform']) });
    for (const f of findings) expect(f.message).toMatch(new RegExp(`^${f.rule} in "${f.file.replace(/[.]/g, '\\.')}": got .+\\. Allowed: .+\\. Fix: .+\\.$`, 's'));
    expect(findings.find((f) => f.resource?.name === 'vc')?.message).toBe('no-privileged-or-root-containers in "clusters/a/apps/application-vc.yaml": got Application "vc" installs vcluster with '
      + 'controlPlane.statefulSet.security.containerSecurityContext runAsUser nothing (the chart\'s default is 0, root). Allowed: containers that run unprivileged and as a non-root user. '
      + 'Fix: set controlPlane.statefulSet.security.containerSecurityContext.runAsUser to a non-zero UID and runAsNonRoot: true in the chart values.');
  });
});
