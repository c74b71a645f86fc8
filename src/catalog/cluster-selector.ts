import { badValue } from '../core/errors';
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
  /** Clusters whose registration has all these labels. */
  public static labels(labels: Record<string, string>): ClusterSelector {
    // what is not an object is kept as it is, so the entry's check reports it
    return new ClusterSelector(typeof labels === 'object' && labels !== null && !Array.isArray(labels) ? { ...labels } : labels, []);
  }

  /** Clusters matching one expression, e.g. `('environment', SelectorOperator.NOT_IN, ['prod'])`. */
  public static expression(key: string, operator: SelectorOperator, values: string[] = []): ClusterSelector {
    return new ClusterSelector({}, [{ key, operator, values: Array.isArray(values) ? [...values] : values }]);
  }

  /** Clusters of these environments. */
  public static environments(environments: string[]): ClusterSelector {
    return ClusterSelector.expression('environment', SelectorOperator.IN, environments);
  }

  /** These clusters, by name. */
  public static clusters(names: string[]): ClusterSelector {
    return ClusterSelector.expression('cluster_name', SelectorOperator.IN, names);
  }

  /** Clusters matching every one of the selectors. */
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
    return new ClusterSelector(labels, exprs);
  }

  private constructor(
    private readonly matchLabels: Readonly<Record<string, string>>,
    private readonly expressions: readonly SelectorExpression[],
  ) {}

  /** True when a cluster with these labels is selected. */
  public matches(labels: Record<string, string>): boolean {
    for (const [k, v] of Object.entries(this.matchLabels)) if (labels[k] !== v) return false;
    return this.expressions.every((e) => {
      const has = Object.prototype.hasOwnProperty.call(labels, e.key);
      const values = e.values ?? [];
      switch (e.operator) {
        case SelectorOperator.IN: return has && values.includes(labels[e.key]);
        case SelectorOperator.NOT_IN: return !has || !values.includes(labels[e.key]);
        case SelectorOperator.EXISTS: return has;
        default: return !has;
      }
    });
  }

  /** The environments this selector limits itself to, when it does (`environment` In / matchLabels). */
  public get environments(): string[] | undefined {
    if (this.matchLabels.environment) return [this.matchLabels.environment];
    const e = this.expressions.find((x) => x.key === 'environment' && x.operator === SelectorOperator.IN);
    return e ? [...(e.values ?? [])] : undefined;
  }

  /** The selector, adding `extra` labels and expressions, as Argo CD renders it. */
  public toSpec(extraLabels: Record<string, string> = {}, extraExpressions: SelectorExpression[] = []): LabelSelectorSpec {
    const matchLabels = { ...this.matchLabels, ...extraLabels };
    const exprs = [...this.expressions, ...extraExpressions].map((e) => ({
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
      return [badValue(`${prop}.matchLabels`, labels, 'an object of labels such as { "security-basic": "enabled" }', 'pass the labels as an object')];
    }
    for (const [k, v] of Object.entries(labels)) {
      if (!isQualifiedName(k)) return [badValue(`${prop}.matchLabels key`, k, 'a Kubernetes label key', 'use a label of the cluster registrations')];
      if (typeof v !== 'string' || !isLabelValue(v)) return [badValue(`${prop}.matchLabels["${k}"]`, v, 'a Kubernetes label value', 'quote the value as a string')];
    }
    return this.expressions.flatMap((e, i) => {
      if (!isQualifiedName(e.key)) return [badValue(`${prop}.matchExpressions[${i}].key`, e.key, 'a Kubernetes label key', 'use a label of the cluster registrations')];
      if (e.values !== undefined && (!Array.isArray(e.values) || !e.values.every((v) => typeof v === 'string' && isLabelValue(v)))) {
        return [badValue(`${prop}.matchExpressions[${i}].values`, e.values, 'a list of Kubernetes label values', 'list the values as strings')];
      }
      const needsValues = e.operator === SelectorOperator.IN || e.operator === SelectorOperator.NOT_IN;
      if (!Object.values(SelectorOperator).includes(e.operator)) {
        return [badValue(`${prop}.matchExpressions[${i}].operator`, e.operator, Object.values(SelectorOperator).join(', '), 'use SelectorOperator')];
      }
      if (needsValues && (e.values ?? []).length === 0) {
        return [badValue(`${prop}.matchExpressions[${i}].values`, e.values ?? [], `one or more values for ${e.operator}`, 'list the values')];
      }
      if (!needsValues && (e.values ?? []).length > 0) {
        return [badValue(`${prop}.matchExpressions[${i}].values`, e.values, `no values for ${e.operator}`, 'remove the values')];
      }
      return [];
    });
  }
}
