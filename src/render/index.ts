import type { IConstruct } from 'constructs';
import { kindOf, NodeKind } from '../graph/kinds';
import { PlatformGraph } from '../graph/platform-graph';
import type { FleetCluster } from '../cluster/fleet-cluster';
import type { ManagementCluster } from '../cluster/management-cluster';
import type { TeamService } from '../service/team-service';
import { renderFleetCluster } from './fleet-cluster';
import { renderManagementCluster } from './management-folder';
import { renderTeamService } from './team-service';
import { renderHostnameFences, renderNamespaceTenantDelivery, renderNamespaceTenantHostSide, renderTenantHostSide } from './tenant-host';
import { afterCatalogWave } from './waves';

/**
 * The render stage: fills the charts and stacks of the pass from the graph, a render function
 * per kind of object. Every function replaces what it rendered on the last pass (objects live
 * in scopes created afresh), so rendering twice gives the same bytes; a user's escape-hatch
 * chart or stack is never recreated. A fleet cluster's registration asks whether its folder holds
 * anything: the tenants it hosts (from the graph, rendered or kept) or objects of its chart.
 *
 * `kept`: the tenants and team services of render units an incremental synth keeps (their files
 * are on disk as this render would make them): not rendered. Whatever an earlier pass rendered
 * for them stays in the charts; the files are read from charts without it (see render-pass.ts).
 */
export function renderStage(graph: PlatformGraph, kept: ReadonlySet<IConstruct> = NOTHING_KEPT): void {
  const wave = afterCatalogWave(graph);
  for (const t of graph.tenants) if (!kept.has(t)) renderTenantHostSide(t, wave);
  for (const t of graph.namespaceTenants) {
    if (kept.has(t)) continue;
    renderNamespaceTenantHostSide(t);
    renderNamespaceTenantDelivery(t);
  }
  renderHostnameFences(graph);
  for (const c of graph.declaredInTreeOrder) {
    switch (kindOf(c)) {
      case NodeKind.MANAGEMENT_CLUSTER: renderManagementCluster(graph, c as ManagementCluster, kept); break;
      case NodeKind.FLEET_CLUSTER: renderFleetCluster(graph, c as FleetCluster); break;
      case NodeKind.TEAM_SERVICE: if (!kept.has(c)) renderTeamService(c as TeamService); break;
      default: break;
    }
  }
}

const NOTHING_KEPT: ReadonlySet<IConstruct> = new Set();
