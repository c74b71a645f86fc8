import { IConstruct } from 'constructs';

/** @internal The kinds of construct the platform graph indexes. */
export enum NodeKind {
  MANAGEMENT_CLUSTER = 'management-cluster',
  FLEET_CLUSTER = 'fleet-cluster',
  IMPORTED_CLUSTER = 'imported-cluster',
  TENANT_VCLUSTER = 'tenant-vcluster',
  NAMESPACE_TENANT = 'namespace-tenant',
  CATALOG_ENTRY = 'catalog-entry',
  TEAM_SERVICE = 'team-service',
}

const KIND = Symbol.for('cdk8s-gitops-platform.kind');
const ORDER = Symbol.for('cdk8s-gitops-platform.declaration-order');
const COUNTER = Symbol.for('cdk8s-gitops-platform.declarations');

interface Marked {
  [KIND]?: NodeKind;
  [ORDER]?: number;
}

/**
 * @internal The next number of the declaration order of the tree `scope` belongs to (kept on
 * its root, so two platforms in one process never share it). Rules run in this order.
 */
export function nextDeclaration(scope: IConstruct): number {
  const root = scope.node.root as unknown as Record<symbol, number | undefined>;
  const n = root[COUNTER] ?? 0;
  Object.defineProperty(root, COUNTER, { value: n + 1, configurable: true, writable: true });
  return n;
}

/**
 * @internal Marks a construct with its kind, so the graph indexes it without importing its
 * class (the graph sits below the constructs in the layering). Called once, in the constructor.
 */
export function markKind(c: IConstruct, kind: NodeKind): void {
  Object.defineProperty(c, KIND, { value: kind });
  Object.defineProperty(c, ORDER, { value: nextDeclaration(c) });
}

/** @internal The kind of a construct, when the graph indexes it. */
export function kindOf(c: IConstruct): NodeKind | undefined {
  return (c as unknown as Marked)[KIND];
}

/** @internal The position of a marked construct in declaration order. */
export function declarationOrder(c: IConstruct): number {
  return (c as unknown as Marked)[ORDER] ?? -1;
}
