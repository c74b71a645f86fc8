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
 * chart or stack is never recreated. Tenants' host objects come first: a fleet cluster's
 * registration asks whether its folder holds anything.
 */
export function renderStage(graph: PlatformGraph): void {
  const wave = afterCatalogWave(graph);
  for (const t of graph.tenants) renderTenantHostSide(t, wave);
  for (const t of graph.namespaceTenants) {
    renderNamespaceTenantHostSide(t);
    renderNamespaceTenantDelivery(t);
  }
  renderHostnameFences(graph);
  for (const c of graph.declaredInTreeOrder) {
    switch (kindOf(c)) {
      case NodeKind.MANAGEMENT_CLUSTER: renderManagementCluster(graph, c as ManagementCluster); break;
      case NodeKind.FLEET_CLUSTER: renderFleetCluster(graph, c as FleetCluster); break;
      case NodeKind.TEAM_SERVICE: renderTeamService(c as TeamService); break;
      default: break;
    }
  }
}
