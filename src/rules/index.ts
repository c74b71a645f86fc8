import { IConstruct } from 'constructs';
import { Problem } from '../core/errors';
import { declarationOrder, kindOf, NodeKind } from '../graph/kinds';
import { PlatformGraph } from '../graph/platform-graph';
import type { ServiceCatalogEntry } from '../catalog/service-catalog-entry';
import type { FleetCluster } from '../cluster/fleet-cluster';
import type { ManagementCluster } from '../cluster/management-cluster';
import type { TeamService } from '../service/team-service';
import type { NamespaceTenant } from '../tenant/namespace-tenant';
import type { TenantVCluster } from '../tenant/tenant-vcluster';
import { catalogEntryRules } from './catalog-entry';
import { fleetClusterRules, managementClusterRules } from './cluster-rules';
import { platformRules } from './platform-rules';
import { teamServiceRules } from './service-rules';
import { namespaceTenantRules, tenantVClusterRules } from './tenant-rules';

/** A rule over the graph: a pure function returning every problem it finds. */
type KindRule = (graph: PlatformGraph, c: IConstruct) => Problem[];

/** The built-in rules of each kind of construct: pure functions over the graph (decision 0015). */
const RULES: Partial<Record<NodeKind, KindRule>> = {
  [NodeKind.MANAGEMENT_CLUSTER]: (g, c) => managementClusterRules(g, c as ManagementCluster),
  [NodeKind.FLEET_CLUSTER]: (g, c) => fleetClusterRules(g, c as FleetCluster),
  [NodeKind.TENANT_VCLUSTER]: (g, c) => tenantVClusterRules(g, c as TenantVCluster),
  [NodeKind.NAMESPACE_TENANT]: (g, c) => namespaceTenantRules(g, c as NamespaceTenant),
  [NodeKind.TEAM_SERVICE]: (g, c) => teamServiceRules(g, c as TeamService),
  [NodeKind.CATALOG_ENTRY]: (g, c) => catalogEntryRules(g, c as ServiceCatalogEntry),
};

/** A rule added with `Platform.addRule`, with its place in the declaration order. */
export interface AddedRule {
  readonly order: number;
  readonly rule: () => Problem[];
}

/**
 * The rules stage: the platform's own rules, then each construct's built-in rules and the
 * added rules in declaration order (the order the problems were always reported in).
 */
export function runRules(graph: PlatformGraph, added: readonly AddedRule[]): Problem[] {
  const steps: { order: number; run: () => Problem[] }[] = [...added.map((a) => ({ order: a.order, run: a.rule }))];
  for (const c of graph.declared) {
    const rule = RULES[kindOf(c)!];
    if (rule) steps.push({ order: declarationOrder(c), run: () => rule(graph, c) });
  }
  steps.sort((a, b) => a.order - b.order);
  return [...platformRules(graph), ...steps.flatMap((s) => s.run())];
}
