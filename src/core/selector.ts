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
  // called for every cluster against every selector of a fleet's ApplicationSets: no copies, no closures
  if (matchLabels) for (const k of Object.keys(matchLabels)) if (labels[k] !== matchLabels[k]) return false;
  for (const e of requirements ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    let ok: boolean;
    switch (e.operator) {
      case 'In': ok = has && values.includes(labels[e.key]); break;
      case 'NotIn': ok = !has || !values.includes(labels[e.key]); break;
      case 'Exists': ok = has; break;
      case 'DoesNotExist': ok = !has; break;
      default: ok = unknownOperator(e.operator, has); break;
    }
    if (!ok) return false;
  }
  return true;
}
