/**
 * Kubernetes label-selector matching (matchLabels, then every matchExpression).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */

/** One requirement of a label selector. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/**
 * True when the labels satisfy every `matchLabels` pair and every requirement. An operator
 * other than In, NotIn, Exists and DoesNotExist is answered by `unknownOperator` (which may
 * throw), given whether the key is set.
 */
export function labelsMatch(
  matchLabels: Readonly<Record<string, string>> | undefined,
  requirements: readonly LabelRequirement[] | undefined,
  labels: Readonly<Record<string, string>>,
  unknownOperator: (operator: string, has: boolean) => boolean,
): boolean {
  for (const [k, v] of Object.entries(matchLabels ?? {})) if (labels[k] !== v) return false;
  return (requirements ?? []).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': return has && values.includes(labels[e.key]);
      case 'NotIn': return !has || !values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return unknownOperator(e.operator, has);
    }
  });
}
