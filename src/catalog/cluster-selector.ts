import { messages } from '../core/errors';
import { labelsMatch } from '../core/selector';
import { isLabelValue, isQualifiedName } from '../core/validate';

/** Operators of a label selector expression. */
export enum SelectorOperator {
  /** The label's value is one of the values. */
  IN = 'In',
  /** The label is missing or its value is none of the values. */
  NOT_IN = 'NotIn',
  /** The label is present. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** One label selector expression. */
export interface SelectorExpression {
  /** Label key. */
  readonly key: string;
  /** Operator. */
  readonly operator: SelectorOperator;
  /**
   * Values (for In and NotIn).
   * @default []
   */
  readonly values?: string[];
}

/** The registration label of a cluster's role, and the role of tenants' virtual clusters. */
const PLATFORM_ROLE = 'platform-role';
const TENANT_ROLE = 'tenant';

/** Label keys that only make sense for tenants, or name clusters one by one: a selector using them asks for tenants. */
function asksForTenants(keys: readonly string[]): boolean {
  return keys.some((k) => ['tenant', 'vcluster', 'host', PLATFORM_ROLE, 'cluster_name'].includes(k));
}

/** The label selector an ApplicationSet cluster generator uses. */
export interface LabelSelectorSpec {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * Which clusters a catalog entry targets: a Kubernetes label selector over the
 * labels of the clusters' Argo CD registrations.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Cluster/
 */
export class ClusterSelector {
  /**
   * Clusters whose registration has all these labels. Virtual clusters (tenants) only when
   * a label asks for them (`tenant`, `vcluster`, `host`, `platform-role` or `cluster_name`).
   */
  public static labels(labels: Record<string, string>): ClusterSelector {
    // what is not an object is kept as it is, so the entry's check reports it
    const isMap = typeof labels === 'object' && labels !== null && !Array.isArray(labels);
    return new ClusterSelector(isMap ? { ...labels } : labels, [], asksForTenants(isMap ? Object.keys(labels) : []));
  }

  /**
   * Clusters matching one expression, e.g. `('environment', SelectorOperator.NOT_IN, ['prod'])`.
   * Virtual clusters only when the key asks for them (see {@link ClusterSelector.labels}).
   */
  public static expression(key: string, operator: SelectorOperator, values: string[] = []): ClusterSelector {
    return new ClusterSelector({}, [{ key, operator, values: Array.isArray(values) ? [...values] : values }], asksForTenants([key]));
  }

  /** Clusters of these environments; not the virtual clusters hosted there (see {@link ClusterSelector.includingTenants}). */
  public static environments(environments: string[]): ClusterSelector {
    return ClusterSelector.expression('environment', SelectorOperator.IN, environments);
  }

  /**
   * These clusters, by name (virtual clusters included: they are named): the `cluster_name` label of
   * their registration, which an imported cluster has only when its `labels` declare it.
   */
  public static clusters(names: string[]): ClusterSelector {
    return ClusterSelector.expression('cluster_name', SelectorOperator.IN, names);
  }

  /** Every tenant's virtual cluster (registration label `platform-role: tenant`). */
  public static tenants(): ClusterSelector {
    return ClusterSelector.labels({ 'platform-role': 'tenant' });
  }

  /** The clusters a selector matches, virtual clusters (tenants) included, e.g. `includingTenants(ClusterSelector.environments(['dev']))`. */
  public static includingTenants(selector: ClusterSelector): ClusterSelector {
    // not a selector: kept as an expression the entry's check reports
    if (!(selector instanceof ClusterSelector)) return new ClusterSelector({}, [{ key: selector as unknown as string, operator: 'not a ClusterSelector' as SelectorOperator, values: [] }], true);
    return new ClusterSelector(selector.matchLabels, selector.expressions, true);
  }

  /** Clusters matching every one of the selectors (tenants included when one of them includes them). */
  public static allOf(...selectors: ClusterSelector[]): ClusterSelector {
    const labels: Record<string, string> = {};
    const exprs: SelectorExpression[] = [];
    for (const s of selectors) {
      // not a selector: kept as an expression the entry's check reports
      if (!(s instanceof ClusterSelector)) {
        exprs.push({ key: s as unknown as string, operator: 'not a ClusterSelector' as SelectorOperator, values: [] });
        continue;
      }
      Object.assign(labels, s.matchLabels);
      exprs.push(...s.expressions);
    }
    return new ClusterSelector(labels, exprs, selectors.some((s) => s instanceof ClusterSelector && s.withTenants));
  }

  private constructor(
    private readonly matchLabels: Readonly<Record<string, string>>,
    private readonly expressions: readonly SelectorExpression[],
    /** Virtual clusters (registration label `platform-role: tenant`) are matched too. */
    private readonly withTenants: boolean,
  ) {}

  /** True when the selector matches tenants' virtual clusters too. */
  public get includesTenants(): boolean {
    return this.withTenants;
  }

  /** True when a cluster with these labels is selected. */
  public matches(labels: Record<string, string>): boolean {
    if (!this.withTenants && labels[PLATFORM_ROLE] === TENANT_ROLE) return false;
    // an operator the entry's check reports is read as DoesNotExist
    return labelsMatch(this.matchLabels, this.expressions, labels, (_operator, has) => !has);
  }

  /** The environments this selector limits itself to, when it does (`environment` In / matchLabels). */
  public get environments(): string[] | undefined {
    if (this.matchLabels.environment) return [this.matchLabels.environment];
    const e = this.expressions.find((x) => x.key === 'environment' && x.operator === SelectorOperator.IN);
    return e ? [...(e.values ?? [])] : undefined;
  }

  /**
   * The selector, adding `extra` labels and expressions, as Argo CD renders it; a selector
   * that leaves tenants out says so with `platform-role NotIn [tenant]` (unless its labels
   * already fix `platform-role`).
   */
  public toSpec(extraLabels: Record<string, string> = {}, extraExpressions: SelectorExpression[] = []): LabelSelectorSpec {
    const matchLabels = { ...this.matchLabels, ...extraLabels };
    const noTenants: SelectorExpression[] = this.withTenants || matchLabels[PLATFORM_ROLE] !== undefined ? [] : [{ key: PLATFORM_ROLE, operator: SelectorOperator.NOT_IN, values: [TENANT_ROLE] }];
    const exprs = [...this.expressions, ...extraExpressions, ...noTenants].map((e) => ({
      key: e.key, operator: e.operator, ...(e.operator === SelectorOperator.IN || e.operator === SelectorOperator.NOT_IN ? { values: [...(e.values ?? [])] } : {}),
    }));
    return {
      ...(Object.keys(matchLabels).length ? { matchLabels } : {}),
      ...(exprs.length ? { matchExpressions: exprs } : {}),
    };
  }

  /** @internal Problems with the selector itself, as messages. */
  public _problems(prop: string): string[] {
    const labels = this.matchLabels as unknown;
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
      return [messages.catalog.selectorLabels(prop, labels)];
    }
    for (const [k, v] of Object.entries(labels)) {
      if (!isQualifiedName(k)) return [messages.catalog.selectorKey(`${prop}.matchLabels key`, k)];
      if (typeof v !== 'string' || !isLabelValue(v)) return [messages.catalog.selectorLabelValue(`${prop}.matchLabels["${k}"]`, v)];
    }
    return this.expressions.flatMap((e, i) => {
      if (!isQualifiedName(e.key)) return [messages.catalog.selectorKey(`${prop}.matchExpressions[${i}].key`, e.key)];
      if (e.values !== undefined && (!Array.isArray(e.values) || !e.values.every((v) => typeof v === 'string' && isLabelValue(v)))) {
        return [messages.catalog.selectorValues(`${prop}.matchExpressions[${i}].values`, e.values)];
      }
      const needsValues = e.operator === SelectorOperator.IN || e.operator === SelectorOperator.NOT_IN;
      if (!Object.values(SelectorOperator).includes(e.operator)) {
        return [messages.catalog.selectorOperator(`${prop}.matchExpressions[${i}].operator`, e.operator, Object.values(SelectorOperator))];
      }
      if (needsValues && (e.values ?? []).length === 0) {
        return [messages.catalog.selectorValuesNeeded(`${prop}.matchExpressions[${i}].values`, e.values ?? [], e.operator)];
      }
      if (!needsValues && (e.values ?? []).length > 0) {
        return [messages.catalog.selectorValuesRefused(`${prop}.matchExpressions[${i}].values`, e.values, e.operator)];
      }
      return [];
    });
  }
}
