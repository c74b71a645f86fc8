/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML of any shape */
import { parse } from 'yaml';
import { Platform } from '../platform';
import { ClusterRole } from '../report/platform-data';
import { checkOutputPermissions } from '../argocd/output-permissions';
import { DeployedObject, describeDenial } from '../argocd/permissions';
import { ExpandedApplication } from './applications';
import { RenderedPlatform, Testing } from './testing';

/**
 * Thrown by the platform assertions. Test runners (vitest, jest, node:test, mocha) report
 * it as a failed assertion; the library does not depend on any of them.
 */
export class PlatformAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

/** What {@link ClusterExpectation.toRun} checks besides presence. */
export interface RunExpectation {
  /**
   * The chart version (Argo CD `targetRevision` of the chart source).
   * @default - not checked
   */
  readonly version?: string;
  /**
   * The destination namespace.
   * @default - not checked
   */
  readonly namespace?: string;
  /**
   * The AppProject.
   * @default - not checked
   */
  readonly project?: string;
  /**
   * Values the merged values must contain (a deep subset: maps compare key by key, other values exactly).
   * @default - not checked
   */
  readonly values?: Record<string, unknown>;
  /**
   * The exact value-file chain, output-relative, lowest precedence first.
   * @default - not checked
   */
  readonly valueFiles?: string[];
}

function rendered(target: Platform | RenderedPlatform): RenderedPlatform {
  return target instanceof RenderedPlatform ? target : Testing.render(target);
}

function show(v: unknown): string {
  return JSON.stringify(v);
}

/** Paths where `actual` differs from the deep subset `expected`. */
function subsetMismatches(expected: unknown, actual: unknown, at = ''): string[] {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${at || '.'}: expected ${show(expected)}, got ${show(actual)}`];
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) => subsetMismatches(v, (actual as Record<string, unknown>)[k], `${at}.${k}`));
  }
  return show(expected) === show(actual) ? [] : [`${at || '.'}: expected ${show(expected)}, got ${show(actual)}`];
}

/** Assertions about what one cluster runs. */
export class ClusterExpectation {
  constructor(private readonly platform: RenderedPlatform, private readonly clusterName: string) {
    platform.cluster(clusterName);
  }

  /** The Applications of the cluster. */
  public get applications(): ExpandedApplication[] {
    return this.platform.applicationsFor(this.clusterName);
  }

  private find(app: string): ExpandedApplication | undefined {
    const apps = this.applications;
    return apps.find((a) => a.catalogEntry === app) ?? apps.find((a) => a.name === app) ?? apps.find((a) => a.name === `${this.clusterName}-${app}`)
      ?? apps.find((a) => a.chart?.chart === app);
  }

  /**
   * Asserts that the cluster runs an Application (by catalog entry, Application name or
   * chart name), optionally with a version, namespace, project, values or value files.
   * Returns the Application for further checks.
   */
  public toRun(app: string, expected: RunExpectation = {}): ExpandedApplication {
    const found = this.find(app);
    if (!found) {
      throw new PlatformAssertionError(`expected cluster "${this.clusterName}" to run "${app}", but it runs: ${this.applications.map((a) => a.catalogEntry ?? a.name).join(', ') || 'nothing'}`);
    }
    const problems: string[] = [];
    if (expected.version !== undefined && found.chart?.version !== expected.version) problems.push(`version: expected ${show(expected.version)}, got ${show(found.chart?.version)}`);
    if (expected.namespace !== undefined && found.namespace !== expected.namespace) problems.push(`namespace: expected ${show(expected.namespace)}, got ${show(found.namespace)}`);
    if (expected.project !== undefined && found.project !== expected.project) problems.push(`project: expected ${show(expected.project)}, got ${show(found.project)}`);
    if (expected.valueFiles !== undefined && show(found.valueFiles) !== show(expected.valueFiles)) problems.push(`valueFiles: expected ${show(expected.valueFiles)}, got ${show(found.valueFiles)}`);
    if (expected.values !== undefined) problems.push(...subsetMismatches(expected.values, found.values).map((m) => `values${m.startsWith('.') ? '' : ' '}${m}`));
    if (problems.length) throw new PlatformAssertionError(`cluster "${this.clusterName}" runs "${found.name}", but ${problems.join('; ')}`);
    return found;
  }

  /** Asserts that the cluster does not run an Application (by catalog entry, Application name or chart name). */
  public notToRun(app: string): void {
    const found = this.find(app);
    if (found) {
      const why = found.applicationSet ? ` (ApplicationSet ${found.applicationSet}, generator ${found.generator?.index}: ${show(found.generator?.selector ?? {})})` : ` (${found.file})`;
      throw new PlatformAssertionError(`expected cluster "${this.clusterName}" not to run "${app}", but it runs "${found.name}"${why}`);
    }
  }
}

/** Assertions about the whole rendered platform. */
export class PlatformExpectation {
  constructor(private readonly platform: RenderedPlatform) {}

  private objects(): { file: string; obj: any }[] {
    return [...this.platform.files].filter(([f]) => f.endsWith('.yaml')).map(([file, text]) => ({ file, obj: parse(text) }));
  }

  private fail(what: string, problems: string[]): void {
    if (problems.length) throw new PlatformAssertionError(`${what}:\n  ${problems.join('\n  ')}`);
  }

  /** Asserts that no Secret with `data` or `stringData` is in the output (credentials come through the secret store). */
  public toHaveNoSecretData(): void {
    this.fail('the output holds Secret data', this.objects()
      .filter(({ obj }) => obj?.kind === 'Secret' && (Object.keys(obj.data ?? {}).length > 0 || Object.keys(obj.stringData ?? {}).length > 0))
      .map(({ file }) => `${file}: a Secret with data`));
  }

  /** Asserts that every value file and folder an Application references exists in the output. */
  public toReferenceOnlyExistingPaths(): void {
    this.fail('Applications reference paths missing from the output', this.platform.applications({ values: false })
      .flatMap((a) => a.missingPaths.map((p) => `${a.name} (${a.file}) -> ${p}`)));
  }

  /**
   * Asserts tenant isolation: each tenant's host namespace enforces Pod Security and has a
   * ResourceQuota, a LimitRange and a default-deny NetworkPolicy; no AppProject allows every
   * source repository or every cluster; tenant projects allow no cluster-scoped resources and
   * deploy only into the tenant's virtual cluster (cluster-scoped kinds only when listed one by
   * one); namespace tenants' projects deploy only into fenced namespaces, nothing cluster-scoped.
   */
  public toHaveIsolatedTenants(): void {
    const problems: string[] = [];
    const files = this.platform.files;
    for (const t of this.platform.data.clusters.filter((c) => c.role === ClusterRole.TENANT)) {
      const dir = `clusters/${t.host}/${t.namespace}/`;
      const inNs = [...files].filter(([f]) => f.startsWith(dir)).map(([f, text]) => ({ f, obj: parse(text) }));
      const ns = files.get(`clusters/${t.host}/_cluster/namespace-${t.namespace}.yaml`);
      if (!ns || !parse(ns)?.metadata?.labels?.['pod-security.kubernetes.io/enforce']) problems.push(`${t.name}: namespace ${t.namespace} on ${t.host} does not enforce Pod Security`);
      if (!inNs.some(({ obj }) => obj.kind === 'ResourceQuota')) problems.push(`${t.name}: no ResourceQuota in ${dir}`);
      if (!inNs.some(({ obj }) => obj.kind === 'LimitRange')) problems.push(`${t.name}: no LimitRange in ${dir}`);
      const denyAll = inNs.some(({ obj }) => obj.kind === 'NetworkPolicy' && Object.keys(obj.spec?.podSelector ?? {}).length === 0
        && ['Ingress', 'Egress'].every((p) => (obj.spec?.policyTypes ?? []).includes(p)) && !(obj.spec?.ingress?.length) && !(obj.spec?.egress?.length));
      if (!denyAll) problems.push(`${t.name}: no default-deny NetworkPolicy (all pods, Ingress and Egress, no rules) in ${dir}`);
      const project = files.get(`clusters/${t.management}/argocd/appproject-tenant-${t.labels.tenant}.yaml`);
      if (!project) {
        problems.push(`${t.name}: no AppProject tenant-${t.labels.tenant} in clusters/${t.management}/argocd/`);
      } else {
        const spec = parse(project).spec ?? {};
        // kinds the tenant opted into stay inside its virtual cluster; a group wildcard is never fenced
        if ((spec.clusterResourceWhitelist ?? []).some((r: any) => r.group === '*')) problems.push(`${t.name}: its AppProject allows cluster-scoped resources of every API group`);
        const elsewhere = (spec.destinations ?? []).filter((d: any) => d.name !== t.name);
        if (elsewhere.length) problems.push(`${t.name}: its AppProject may deploy outside its virtual cluster: ${show(elsewhere)}`);
      }
    }
    // namespace tenants: their project deploys into named namespaces only, each of them fenced
    for (const { file, obj } of this.objects().filter(({ file, obj }) => obj?.kind === 'AppProject' && /\/appproject-team-[^/]+\.yaml$/.test(file))) {
      const spec = obj.spec ?? {};
      if ((spec.clusterResourceWhitelist ?? []).length) problems.push(`${file}: a namespace tenant's project allows cluster-scoped resources`);
      for (const d of spec.destinations ?? []) {
        if (!d.name || !d.namespace || /[*?]/.test(`${d.name}${d.namespace}`)) {
          problems.push(`${file}: destination ${show(d)} is not one namespace of one cluster`);
          continue;
        }
        const ns = files.get(`clusters/${d.name}/_cluster/namespace-${d.namespace}.yaml`);
        if (!ns || !parse(ns)?.metadata?.labels?.['pod-security.kubernetes.io/enforce']) problems.push(`${file}: namespace ${d.namespace} on ${d.name} does not enforce Pod Security`);
        const inNs = [...files].filter(([f]) => f.startsWith(`clusters/${d.name}/${d.namespace}/`)).map(([, text]) => parse(text));
        for (const kind of ['ResourceQuota', 'LimitRange']) if (!inNs.some((o) => o?.kind === kind)) problems.push(`${file}: no ${kind} in namespace ${d.namespace} on ${d.name}`);
        if (!inNs.some((o) => o?.kind === 'NetworkPolicy' && o.metadata?.name === 'default-deny-all')) problems.push(`${file}: no default-deny NetworkPolicy in namespace ${d.namespace} on ${d.name}`);
      }
    }
    for (const { file, obj } of this.objects().filter(({ obj }) => obj?.kind === 'AppProject')) {
      if ((obj.spec?.sourceRepos ?? []).includes('*')) problems.push(`${file}: sourceRepos allows "*"`);
      if ((obj.spec?.destinations ?? []).some((d: any) => d.name === '*' || d.server === '*')) problems.push(`${file}: a destination allows every cluster ("*")`);
    }
    this.fail('tenants are not isolated', problems);
  }

  /**
   * Asserts that Argo CD would sync every Application (ApplicationSets expanded offline):
   * its AppProject exists and permits its sources, its destination, the Namespace that
   * `CreateNamespace=true` creates, and each object it deploys (cluster-scoped kinds only
   * through the cluster whitelist, namespaced kinds and their namespaces).
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
   */
  public toBePermittedByProjects(options: PermittedByProjectsOptions = {}): void {
    const rendered = options.rendered;
    const check = checkOutputPermissions(this.platform.files, { applications: this.platform.applications({ values: false }), ...(rendered ? { extra: (a) => rendered.get(a.name) ?? [] } : {}) });
    this.fail('Argo CD would refuse to sync', check.denials.map(describeDenial));
  }
}

/** Options of {@link PlatformExpectation.toBePermittedByProjects}. */
export interface PermittedByProjectsOptions {
  /**
   * More objects per Application, checked with the library's own manifests: the output of
   * its charts (see `renderApplications`), keyed by Application name.
   * @default - the library's own manifests only
   */
  readonly rendered?: ReadonlyMap<string, readonly DeployedObject[]>;
}

/** Assertions about what a cluster of the platform runs, e.g. `expectCluster(platform, 'dev-eu').toRun('cert-manager', { version: '1.2.3' })`. */
export function expectCluster(platform: Platform | RenderedPlatform, cluster: string): ClusterExpectation {
  return new ClusterExpectation(rendered(platform), cluster);
}

/** Assertions about the whole platform: tenant isolation, no Secret data, every referenced path exists. */
export function expectPlatform(platform: Platform | RenderedPlatform): PlatformExpectation {
  return new PlatformExpectation(rendered(platform));
}
