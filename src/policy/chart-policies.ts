/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests of any shape */
import { RenderedApplication } from '../argocd/repo-server';
import { PLATFORM_JSON, PlatformData } from '../report/platform-data';
import { PolicyFile, runPolicyChecks } from './checks';
import { PLATFORM_PROJECT } from './policy-pass';
import { NON_CATALOG_EXCEPTIONS } from './built-in-exceptions';
import { exceptionCovers, PolicyException } from './policy-exception';
import { SecurityRule } from './security-rule';
import { checkListArg, checkMapArg } from '../core/arguments';
import { fail, messages } from '../core/errors';

/** The rules that apply to the objects a chart renders (the others are about the repository or Terraform). */
export const CHART_RULES: readonly SecurityRule[] = [
  SecurityRule.NO_SECRET_DATA, SecurityRule.NO_PRIVILEGED_CONTAINERS, SecurityRule.NO_HOST_PATH, SecurityRule.RESOURCE_LIMITS,
  SecurityRule.ARGOCD_HARDENED, SecurityRule.NO_WILDCARD_APPPROJECT, SecurityRule.NO_DEFAULT_PROJECT,
];

/** One rule broken by an object a chart renders. */
export interface ChartPolicyFinding {
  readonly rule: SecurityRule;
  /** The catalog entry whose chart it is, when any. */
  readonly entry?: string;
  /** The chart and template (`<chart> <version>: <template>`). */
  readonly origin: string;
  /** The Applications that render it (one chart render is shared by the clusters with the same values). */
  readonly applications: string[];
  /** What is wrong, with what is allowed and the fix. */
  readonly message: string;
  /** The object (`Kind/name`). */
  readonly object: string;
  /** The declared exception that covers it, when one does. */
  readonly exception?: PolicyException;
}

/** What {@link checkChartPolicies} found. */
export interface ChartPolicyResult {
  /** Findings no exception covers. */
  readonly findings: ChartPolicyFinding[];
  /** Findings a declared exception covers (listed, not failing). */
  readonly excepted: ChartPolicyFinding[];
}

/**
 * The security policy pass over rendered chart output (objects from the repository are
 * checked at synth): privileged or root containers, hostPath volumes, containers without a
 * memory limit, Secrets with data, Argo CD hardening and AppProjects a chart creates. A
 * finding a catalog entry's `policyExceptions` covers is reported as excepted.
 * @param files the synthesized output (its `platform.json` holds the entries' exceptions)
 */
export function checkChartPolicies(files: ReadonlyMap<string, string>, rendered: readonly RenderedApplication[], rules: readonly SecurityRule[] = CHART_RULES): ChartPolicyResult {
  checkMapArg('checkChartPolicies', 'files', files, 'the files platform.render() returns');
  checkListArg('checkChartPolicies', 'rendered', rendered, 'what renderApplications() returns');
  let data: PlatformData;
  try {
    data = JSON.parse(files.get(PLATFORM_JSON) ?? '{"catalog":[]}') as PlatformData;
  } catch (e) {
    return fail('checkChartPolicies', messages.platformJsonInvalid(PLATFORM_JSON, e));
  }
  if (!Array.isArray(data?.catalog)) fail('checkChartPolicies', messages.platformJsonCatalog(PLATFORM_JSON, data?.catalog));
  const exceptions = new Map(data.catalog.map((e) => [e.name, (e.policyExceptions ?? []) as PolicyException[]]));
  const seen = new Map<string, ChartPolicyFinding>();
  // a chart render shared by several Applications is checked once
  const byRender = new Map<readonly unknown[], RenderedApplication[]>();
  for (const r of rendered) {
    if (!r.chart) continue;
    const chartObjects = r.objects.filter((o) => o.origin.startsWith(`${r.chart!.name} ${r.chart!.version}: `));
    const key = chartObjects.map((o) => o.object);
    const found = [...byRender.keys()].find((k) => k.length === key.length && k.every((o, i) => o === key[i]));
    if (found) byRender.get(found)!.push(r);
    else byRender.set(key, [r]);
  }
  for (const [objects, apps] of byRender) {
    const first = apps[0];
    const origins = new Map<unknown, string>(first.objects.map((o) => [o.object, o.origin]));
    const inputs: PolicyFile[] = objects.map((object: any) => ({ file: origins.get(object)!, text: '', scope: first.application.cluster, objects: [object] }));
    for (const f of runPolicyChecks(inputs, { rules: new Set(rules), platformProjects: new Set([PLATFORM_PROJECT]) })) {
      const entry = first.application.catalogEntry;
      const kind = f.resource?.kind ?? '';
      const name = f.resource?.name ?? '';
      const declared = entry ? exceptions.get(entry) ?? [] : NON_CATALOG_EXCEPTIONS[first.chart!.name] ?? [];
      const exception = declared.find((e) => exceptionCovers(e, f.rule, kind, name));
      for (const a of apps) {
        const key = `${entry ?? a.application.name}\u0000${f.message}`;
        const prior = seen.get(key);
        if (prior) {
          if (!prior.applications.includes(a.application.name)) prior.applications.push(a.application.name);
          continue;
        }
        seen.set(key, { rule: f.rule, ...(entry ? { entry } : {}), origin: f.file, applications: [a.application.name], message: f.message, object: `${kind}/${name}`, ...(exception ? { exception } : {}) });
      }
    }
  }
  const all = [...seen.values()].sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.message < b.message ? -1 : 1));
  return { findings: all.filter((f) => !f.exception), excepted: all.filter((f) => f.exception) };
}
