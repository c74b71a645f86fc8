import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  expectPlatform, FleetCluster, Group, HostRole, NamespaceRole, NamespaceTenant, NetworkAllowance, PodSecurityLevel, RenderedPlatform, TenantClusterResource, TenantVCluster, Testing,
} from '../src';
import { admissionObjects, refusals } from './support/admission';
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { projectPermissions, resourceDenial } from '../src/argocd/app-project';
import { HAS_SCHEMAS, crdErrors } from './support/schemas';
import { awsMgmt, awsPlatform, eksCloud } from './support/fixtures';

const secure = { 'security-basic': 'enabled' };

function platformWithTeam(extra: Partial<ConstructorParameters<typeof NamespaceTenant>[2]> = {}) {
  const platform = awsPlatform();
  const mgmt = awsMgmt(platform, { labels: secure });
  const dev = new FleetCluster(mgmt, 'dev', { environment: 'dev', cloud: eksCloud('10.20.0.0/16'), labels: secure });
  const team = new NamespaceTenant(dev, 'devteam-a', {
    owners: Group.named('devteam-a'),
    repositories: [
      { url: 'https://github.com/acme/devteam-a-apps.git', credentialsKey: 'repos/devteam-a' },
      { url: 'git@github.com:acme/devteam-a-infra.git', path: 'k8s', credentialsKey: 'repos/devteam-a-ssh' },
    ],
    networkAllowances: [NetworkAllowance.egressToCidr('10.99.0.0/24', [{ port: 5432 }])],
    ...extra,
  });
  return { platform, mgmt, dev, team, files: platform.render() };
}

const get = (files: Map<string, string>, f: string) => {
  const text = files.get(f);
  if (!text) throw new Error(`${f} not rendered; have: ${[...files.keys()].filter((k) => k.includes('devteam')).join(', ')}`);
  return parse(text);
};

/**
 * What the API server's admission decides for a NetworkPolicy change in `namespace` by a user of
 * `groups` (test/support/admission.ts evaluates the rendered policies' CEL).
 */
function admitted(files: Map<string, string>, namespace: string, operation: string, groups?: string[], username = 'someone',
  resource: { group: string; resource: string } = { group: 'networking.k8s.io', resource: 'networkpolicies' }): boolean {
  return refusals(admissionObjects(files), { namespace, operation: operation as 'CREATE', ...resource, username, groups, object: { metadata: { name: 'x', namespace } } }).length === 0;
}

describe('NamespaceTenant', () => {
  it('keeps the team from changing its fence: an admission policy refuses its groups any NetworkPolicy change in the namespace (Kubernetes\' edit and admin may write them)', () => {
    const { files } = platformWithTeam({ owners: Group.anyOf(['devteam-a', '00000000-0000-0000-0000-0000000000aa']) });
    const policy = get(files, 'clusters/dev/_cluster/validatingadmissionpolicy-tenant-fence-devteam-a.yaml');
    const binding = get(files, 'clusters/dev/_cluster/validatingadmissionpolicybinding-tenant-fence-devteam-a.yaml');
    expect(() => new ValidatingAdmissionPolicy(policy).validate()).not.toThrow();
    expect(() => new ValidatingAdmissionPolicyBinding(binding).validate()).not.toThrow();
    expect(binding.spec).toMatchObject({ policyName: policy.metadata.name, validationActions: ['Deny'] });
    for (const op of ['CREATE', 'UPDATE', 'DELETE']) {
      // the team, under either of its names: refused; Argo CD (a service account) and a platform admin: admitted
      expect([op, admitted(files, 'devteam-a', op, ['devteam-a', 'system:authenticated'])]).toEqual([op, false]);
      expect([op, admitted(files, 'devteam-a', op, ['00000000-0000-0000-0000-0000000000aa'])]).toEqual([op, false]);
      expect([op, admitted(files, 'devteam-a', op, ['system:serviceaccounts', 'system:serviceaccounts:argocd'])]).toEqual([op, true]);
      expect([op, admitted(files, 'devteam-a', op, ['platform-admins'])]).toEqual([op, true]);
      expect([op, admitted(files, 'devteam-a', op)]).toEqual([op, true]);
      // a service account of the namespace, which the owners create and may impersonate: refused; Argo CD's and
      // the namespace controller's (deleting a namespace deletes its policies): admitted
      const sa = (ns: string, name: string) => [['system:serviceaccounts', `system:serviceaccounts:${ns}`], `system:serviceaccount:${ns}:${name}`] as const;
      expect([op, admitted(files, 'devteam-a', op, ...sa('devteam-a', 'x'))]).toEqual([op, false]);
      expect([op, admitted(files, 'devteam-a', op, ...sa('argocd', 'argocd-application-controller'))]).toEqual([op, true]);
      expect([op, admitted(files, 'devteam-a', op, ...sa('kube-system', 'namespace-controller'))]).toEqual([op, true]);
    }
    // only in its own namespace
    expect(admitted(files, 'other-team', 'CREATE', ['devteam-a'])).toBe(true);
    // a read-only team cannot write NetworkPolicies anyway: no policy
    const view = platformWithTeam({ role: NamespaceRole.VIEW }).files;
    expect([...view.keys()].filter((f) => f.includes('validatingadmissionpolic') && f.includes('tenant-fence-'))).toEqual([]);
  });

  it('keeps the team from External Secrets\' objects in its namespace, which read and write the platform\'s store with the host\'s identity: admission for its groups, the AppProject for its repositories', () => {
    const { files } = platformWithTeam();
    const secretObjects = [
      { group: 'external-secrets.io', resource: 'externalsecrets' }, { group: 'external-secrets.io', resource: 'pushsecrets' },
      { group: 'external-secrets.io', resource: 'secretstores' }, { group: 'generators.external-secrets.io', resource: 'ecrauthorizationtokens' },
      // cert-manager's requests, which the platform's ClusterIssuers answer for any of its names
      { group: 'cert-manager.io', resource: 'certificates' }, { group: 'cert-manager.io', resource: 'certificaterequests' },
      // ACME orders (cert-manager solves them with the platform's DNS identity), and Kyverno's namespaced policies
      // (its background controller generates a policy's objects, NetworkPolicies included, as itself)
      { group: 'acme.cert-manager.io', resource: 'orders' }, { group: 'acme.cert-manager.io', resource: 'challenges' },
      { group: 'kyverno.io', resource: 'policies' }, { group: 'kyverno.io', resource: 'policyexceptions' }, { group: 'kyverno.io', resource: 'cleanuppolicies' },
      { group: 'policies.kyverno.io', resource: 'namespacedgeneratingpolicies' },
    ];
    for (const r of secretObjects) {
      for (const op of ['CREATE', 'UPDATE', 'DELETE']) {
        expect([r.resource, op, admitted(files, 'devteam-a', op, ['devteam-a'], 'someone', r)]).toEqual([r.resource, op, false]);
        expect([r.resource, op, admitted(files, 'devteam-a', op, ['system:serviceaccounts'], 'system:serviceaccount:devteam-a:x', r)]).toEqual([r.resource, op, false]);
        expect([r.resource, op, admitted(files, 'devteam-a', op, ['system:serviceaccounts', 'system:serviceaccounts:argocd'], 'system:serviceaccount:argocd:argocd-application-controller', r)]).toEqual([r.resource, op, true]);
      }
    }
    // the rest of the namespace is the team's
    expect(admitted(files, 'devteam-a', 'CREATE', ['devteam-a'], 'someone', { group: '', resource: 'configmaps' })).toBe(true);
    // from its repositories, Argo CD refuses them in the team's project
    const project = projectPermissions(get(files, 'clusters/mgmt/argocd/appproject-team-devteam-a.yaml'));
    const sync = (group: string, kind: string) => resourceDenial(project, 'team-devteam-a', group, kind, 'x', 'devteam-a', { name: 'dev' });
    // Argo CD applies them as cluster admin of the host: RBAC objects too (Kubernetes' escalation check tests
    // whoever creates a binding, so a RoleBinding to cluster-admin from the team's repository would be applied)
    for (const [group, kind] of [['external-secrets.io', 'ExternalSecret'], ['external-secrets.io', 'PushSecret'], ['external-secrets.io', 'SecretStore'], ['generators.external-secrets.io', 'Password'],
      ['cert-manager.io', 'Certificate'], ['cert-manager.io', 'CertificateRequest'], ['acme.cert-manager.io', 'Order'], ['acme.cert-manager.io', 'Challenge'],
      ['kyverno.io', 'Policy'], ['kyverno.io', 'PolicyException'], ['policies.kyverno.io', 'NamespacedValidatingPolicy'],
      ['rbac.authorization.k8s.io', 'Role'], ['rbac.authorization.k8s.io', 'RoleBinding']]) {
      expect([kind, sync(group, kind)]).toEqual([kind, expect.stringContaining(`resource ${group}:${kind} is not permitted in project team-devteam-a`)]);
    }
    // what an application of the team's deploys
    for (const [group, kind] of [['', 'ConfigMap'], ['apps', 'Deployment'], ['', 'Service'], ['', 'ServiceAccount'], ['autoscaling', 'HorizontalPodAutoscaler'], ['cert-manager.io', 'Issuer']]) {
      expect([kind, sync(group, kind)]).toEqual([kind, undefined]);
    }
  });

  it('guards a vCluster tenant\'s host namespace the same way when its owners are admins there (hostRole: HostRole.ADMIN)', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    new TenantVCluster(mgmt, 'team-v', { owners: Group.named('team-v'), hostRole: HostRole.ADMIN });
    new TenantVCluster(mgmt, 'team-w', { owners: Group.named('team-w') });
    const files = platform.render();
    expect(admitted(files, 'vcluster-team-v', 'CREATE', ['team-v'])).toBe(false);
    expect(admitted(files, 'vcluster-team-v', 'CREATE', ['platform-admins'])).toBe(true);
    // the default host role is view: no policy
    expect([...files.keys()].filter((f) => f.includes('validatingadmissionpolic') && f.includes('tenant-fence-team-w'))).toEqual([]);
  });


  it('fences the team\'s namespace on the host: Pod Security, quota, LimitRange, default deny with DNS and same-namespace, the team\'s admin binding', () => {
    const { files } = platformWithTeam();
    expect(get(files, 'clusters/dev/_cluster/namespace-devteam-a.yaml').metadata.labels).toEqual({
      'tenant': 'devteam-a', 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted',
    });
    // the tenant removed from code, Argo CD leaves the namespace (and whatever data is in it) to be deleted by hand
    expect(get(files, 'clusters/dev/_cluster/namespace-devteam-a.yaml').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    const dir = 'clusters/dev/devteam-a/';
    expect([...files.keys()].filter((f) => f.startsWith(dir)).sort()).toEqual([
      'limitrange-tenant-limits.yaml', 'networkpolicy-allow-dns.yaml', 'networkpolicy-allow-same-namespace.yaml', 'networkpolicy-default-deny-all.yaml',
      'networkpolicy-tenant-allow-0.yaml', 'resourcequota-tenant-quota.yaml', 'rolebinding-team-admin.yaml',
    ].map((f) => dir + f));
    expect(get(files, `${dir}rolebinding-team-admin.yaml`)).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'Group', name: 'devteam-a' }],
    });
    expect(get(files, `${dir}networkpolicy-default-deny-all.yaml`).spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(get(files, `${dir}resourcequota-tenant-quota.yaml`).spec.hard['requests.cpu']).toBe('10');
  });

  it('gives the team an AppProject fenced to its namespace and repositories, and an Application per repository', () => {
    const { files } = platformWithTeam();
    const project = get(files, 'clusters/mgmt/argocd/appproject-team-devteam-a.yaml');
    expect(project.spec.destinations).toEqual([{ name: 'dev', namespace: 'devteam-a' }]);
    expect(project.spec.sourceRepos).toEqual(['https://github.com/acme/devteam-a-apps.git', 'git@github.com:acme/devteam-a-infra.git']);
    expect(project.spec.clusterResourceWhitelist).toBeUndefined();
    expect(project.spec.namespaceResourceBlacklist).toContainEqual({ group: 'networking.k8s.io', kind: 'NetworkPolicy' });
    expect(project.spec.roles[0]).toMatchObject({ groups: ['devteam-a'], policies: ['p, proj:team-devteam-a:owners, applications, *, team-devteam-a/*, allow', 'p, proj:team-devteam-a:owners, logs, get, team-devteam-a/*, allow'] });
    const app = get(files, 'clusters/mgmt/argocd/application-team-devteam-a-67a581f3.yaml');
    expect(app.metadata.annotations['argocd.argoproj.io/manifest-generate-paths']).toBe('.');
    expect(app.spec).toMatchObject({
      project: 'team-devteam-a',
      source: { repoURL: 'git@github.com:acme/devteam-a-infra.git', path: 'k8s', targetRevision: 'HEAD' },
      destination: { name: 'dev', namespace: 'devteam-a' },
    });
    expect(app.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
  });

  it('keeps the team\'s AppProject until its Applications are gone, so removing the tenant deletes what they deployed', () => {
    // the root Application prunes the project and its Applications in one sync; each Application's finalizer
    // deletes its objects and needs the project for that (Argo CD's finalizeApplicationDeletion reads it first),
    // so the project holds Argo CD's project finalizer, which the controller lifts once no Application names it
    const { files } = platformWithTeam();
    const project = get(files, 'clusters/mgmt/argocd/appproject-team-devteam-a.yaml');
    expect(project.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    const apps = [...files.keys()].filter((f) => f.startsWith('clusters/mgmt/argocd/application-team-devteam-a-')).map((f) => get(files, f));
    expect(apps).toHaveLength(2);
    for (const a of apps) expect([a.metadata.name, a.spec.project, a.metadata.finalizers]).toEqual([a.metadata.name, 'team-devteam-a', ['resources-finalizer.argocd.argoproj.io']]);
    // every AppProject the platform renders (the platform's and vCluster tenants' too)
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    new TenantVCluster(mgmt, 'team-v', { owners: Group.named('team-v') });
    const projects = [...platform.render()].filter(([f]) => /\/appproject-[^/]+\.yaml$/.test(f)).map(([f, t]) => [f, parse(t).metadata.finalizers]);
    expect(projects.length).toBeGreaterThanOrEqual(2);
    for (const [f, finalizers] of projects) expect([f, finalizers]).toEqual([f, ['resources-finalizer.argocd.argoproj.io']]);
  });

  it('brings repository credentials from the secret store as project-scoped Argo CD repository Secrets, with no secret data in Git', () => {
    const { platform, files } = platformWithTeam();
    const https = get(files, 'clusters/mgmt/argocd/externalsecret-repo-team-devteam-a-ccdd7315.yaml');
    expect(https.spec.target.template).toEqual({
      engineVersion: 'v2',
      metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository', 'tenant': 'devteam-a' } },
      data: { type: 'git', url: 'https://github.com/acme/devteam-a-apps.git', project: 'team-devteam-a', username: '{{ .username }}', password: '{{ .password }}' },
    });
    expect(https.spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'platform/repos/devteam-a', property: 'username' } },
      { secretKey: 'password', remoteRef: { key: 'platform/repos/devteam-a', property: 'password' } },
    ]);
    expect(get(files, 'clusters/mgmt/argocd/externalsecret-repo-team-devteam-a-26b32849.yaml').spec.data.map((d: any) => d.secretKey)).toEqual(['sshPrivateKey']);
    expectPlatform(platform).toHaveNoSecretData();
    expectPlatform(platform).toHaveIsolatedTenants();
    if (HAS_SCHEMAS) {
      for (const [f, text] of files) {
        if (!f.includes('devteam-a')) continue;
        const obj = parse(text);
        if (['ExternalSecret', 'AppProject', 'Application'].includes(obj.kind)) expect(crdErrors(obj), f).toEqual([]);
      }
    } else {
      console.log('namespace-tenant: ../shared/schemas not found, CRD validation skipped');
    }
  });

  it('binds another role, enforces restricted, and renders the same bytes twice', () => {
    const { files, platform } = platformWithTeam({ role: NamespaceRole.EDIT, podSecurity: PodSecurityLevel.RESTRICTED });
    expect(get(files, 'clusters/dev/devteam-a/rolebinding-team-edit.yaml').roleRef.name).toBe('edit');
    expect(get(files, 'clusters/dev/_cluster/namespace-devteam-a.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(platform.render()).toEqual(files);
  });

  it('names each Application and repository Secret by its URL and folder, not its place in the list: removing or reordering entries keeps the others\' names', () => {
    const repos = [
      { url: 'https://github.com/acme/devteam-a-apps.git', credentialsKey: 'repos/devteam-a' },
      { url: 'git@github.com:acme/devteam-a-infra.git', path: 'k8s', credentialsKey: 'repos/devteam-a-ssh' },
    ];
    /** name -> the repository it syncs (an Application) or holds the credentials of (a repository Secret) */
    const named = (repositories: typeof repos) => {
      const { files } = platformWithTeam({ repositories });
      return Object.fromEntries([...files].filter(([f]) => /argocd\/(application|externalsecret)-(repo-)?team-devteam-a/.test(f)).map(([, text]) => parse(text)).map((o) => (o.kind === 'Application'
        ? [o.metadata.name, `${o.spec.source.repoURL} ${o.spec.source.path}`] : [o.metadata.name, o.spec.target.template.data.url])));
    };
    const both = named(repos);
    expect(both).toEqual({
      'team-devteam-a-e5050573': 'https://github.com/acme/devteam-a-apps.git deploy',
      'team-devteam-a-67a581f3': 'git@github.com:acme/devteam-a-infra.git k8s',
      'repo-team-devteam-a-ccdd7315': 'https://github.com/acme/devteam-a-apps.git',
      'repo-team-devteam-a-26b32849': 'git@github.com:acme/devteam-a-infra.git',
    });
    expect(named([repos[1], repos[0]])).toEqual(both);
    // the first entry removed: the second keeps its Application (a name by index would retarget it, and delete the other's with its objects)
    expect(named([repos[1]])).toEqual({ 'team-devteam-a-67a581f3': both['team-devteam-a-67a581f3'], 'repo-team-devteam-a-26b32849': both['repo-team-devteam-a-26b32849'] });
    // URLs and folders as Argo CD reads them: the same names
    expect(Object.keys(named([{ ...repos[0], url: 'https://github.com/acme/devteam-a-apps', path: './deploy/' }]))).toEqual(['team-devteam-a-e5050573', 'repo-team-devteam-a-ccdd7315']);
  });

  it('refuses an entry deploying a folder another entry deploys (its Application would have the same name), naming both', () => {
    const { dev } = platformWithTeam();
    expect(() => new NamespaceTenant(dev, 'b', { owners: Group.named('b'), repositories: [
      { url: 'https://github.com/acme/b.git', path: 'apps' }, { url: 'https://github.com/acme/b.git', path: 'infra' }, { url: 'https://GitHub.com/acme/b', path: 'apps/', revision: 'v2' },
    ] })).toThrow('[platform/mgmt/dev/b] repositories[2]: got {"url":"https://GitHub.com/acme/b","path":"apps"}. Allowed: a repository folder no other entry deploys: '
      + 'repositories[0] deploys folder "apps" of "https://github.com/acme/b.git", which Argo CD takes for the same repository (the two Applications would fight over the same objects, '
      + 'and the Application of an entry is named after its URL and folder). Fix: remove repositories[2], or point it at another folder.');
    // the default folder is "deploy"
    expect(() => new NamespaceTenant(dev, 'c', { owners: Group.named('c'), repositories: [{ url: 'https://github.com/acme/c.git' }, { url: 'https://github.com/acme/c.git', path: 'deploy' }] }))
      .toThrow('[platform/mgmt/dev/c] repositories[1]: got {"url":"https://github.com/acme/c.git","path":"deploy"}. Allowed: a repository folder no other entry deploys: repositories[0] deploys folder "deploy" of the same URL');
  });

  it('refuses clashes with other tenants and bad props, with the fix', () => {
    const { platform, dev } = platformWithTeam();
    new TenantVCluster(dev, 'vc', { name: 'devteam-a', owners: Group.named('x') });
    expect(() => Testing.render(platform)).toThrow('[platform/mgmt/dev/devteam-a] duplicate tenant name "devteam-a": also declared at platform/mgmt/dev/vc. Fix: give each tenant a unique name.');
    const p2 = platformWithTeam();
    expect(() => new NamespaceTenant(p2.dev, 'b', { owners: Group.named('b'), repositories: [{ url: 'https://x.dev/r.git', path: '../up' }] }))
      .toThrow('[platform/mgmt/dev/b] repositories[0].path: got "../up". Allowed: a relative folder of the repository. Fix: remove leading "/" and ".." segments.');
    expect(() => new NamespaceTenant(p2.dev, 'c', { owners: Group.named('c'), role: 'cluster-admin' as NamespaceRole }))
      .toThrow('[platform/mgmt/dev/c] role: got "cluster-admin". Allowed: NamespaceRole.ADMIN, EDIT or VIEW. Fix: pick one of the user-facing roles.');
    new NamespaceTenant(p2.dev, 'd', { owners: Group.named('d'), namespace: 'devteam-a' });
    expect(() => Testing.render(p2.platform)).toThrow('[platform/mgmt/dev/d] tenant "d" uses namespace "devteam-a" on host "dev", as does platform/mgmt/dev/devteam-a. Fix: give each tenant its own namespace.');
  });
});

describe('TenantVCluster options the book uses', () => {
  it('binds the owners as admins of the host namespace, and lets the tenant create Namespaces and CRDs inside its virtual cluster only when asked', () => {
    const platform = awsPlatform();
    const mgmt = awsMgmt(platform, { labels: secure });
    new TenantVCluster(mgmt, 'team-a', { owners: Group.named('team-a'), hostRole: HostRole.ADMIN, clusterResources: [TenantClusterResource.NAMESPACES, TenantClusterResource.CUSTOM_RESOURCE_DEFINITIONS] });
    new TenantVCluster(mgmt, 'team-b', { owners: Group.named('team-b') });
    const files = platform.render();
    expect(get(files, 'clusters/mgmt/vcluster-team-a/rolebinding-tenant-admin.yaml').roleRef.name).toBe('admin');
    expect(get(files, 'clusters/mgmt/vcluster-team-b/rolebinding-tenant-viewers.yaml').roleRef.name).toBe('view');
    const a = get(files, 'clusters/mgmt/argocd/appproject-tenant-team-a.yaml').spec;
    expect(a.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }, { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }]);
    expect(a.destinations).toEqual([{ name: 'vc-team-a', namespace: '*' }]);
    expect(get(files, 'clusters/mgmt/argocd/appproject-tenant-team-b.yaml').spec.clusterResourceWhitelist).toBeUndefined();
    expectPlatform(platform).toHaveIsolatedTenants();
    expect(() => new TenantVCluster(mgmt, 'team-c', { owners: Group.named('c'), clusterResources: [TenantClusterResource.of('*', '*')] }))
      .toThrow('[platform/mgmt/team-c] clusterResources[0]: got "*/*". Allowed: an API group ("" for core) and a kind such as "Namespace" (or "*"). Fix: fix the group or kind.');
  });
});

describe('expectPlatform(...).toHaveIsolatedTenants() for namespace tenants', () => {
  it('names a project that reaches beyond its fenced namespace', () => {
    // the render stage renders the project afresh on every pass: widen it in the rendered output
    const { platform } = platformWithTeam();
    const rendered = Testing.render(platform);
    const file = 'clusters/mgmt/argocd/appproject-team-devteam-a.yaml';
    const project = parse(rendered.files.get(file)!);
    project.spec.destinations.push({ name: 'dev', namespace: 'kube-system' });
    const widened = new Map(rendered.files).set(file, stringify(project));
    expectPlatform(rendered).toHaveIsolatedTenants();
    expect(() => expectPlatform(new RenderedPlatform(widened)).toHaveIsolatedTenants()).toThrow(`${file}: namespace kube-system on dev does not enforce Pod Security`);
  });
});
