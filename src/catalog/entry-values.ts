import { ClusterOutput } from '../model/cluster-output';

/** A catalog entry's values, split into the value files' part and the part templated per cluster. */
export interface SplitValues {
  /** The values without cluster outputs (`catalog/<name>/values.yaml`). */
  readonly static: Record<string, unknown>;
  /** The values on the paths to cluster outputs, each leaf the output's Go template (the `valuesObject` of the `templatePatch`). */
  readonly templated: Record<string, unknown>;
  /** The names of the outputs used (the cluster's own, not the built-in ones). */
  readonly outputs: string[];
  /** The Go templates of the outputs used. */
  readonly templates: string[];
  /** The keys on the paths to cluster outputs. */
  readonly templatedKeys: string[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ClusterOutput.isClusterOutput(v);
}

/** Splits values into the static part (value files) and the cluster-output part (templated per cluster). */
export function splitOutputs(values: Record<string, unknown>): SplitValues {
  const outputs: string[] = [];
  const templates: string[] = [];
  const templatedKeys: string[] = [];
  const walk = (v: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] => {
    const s: Record<string, unknown> = {};
    const t: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (ClusterOutput.isClusterOutput(x)) {
        t[k] = x.goTemplate;
        templates.push(x.goTemplate);
        templatedKeys.push(k);
        if (!x._builtin) outputs.push(x.name);
      } else if (isPlainObject(x)) {
        const [ss, tt] = walk(x);
        if (Object.keys(ss).length || !Object.keys(tt).length) s[k] = ss;
        if (Object.keys(tt).length) {
          t[k] = tt;
          templatedKeys.push(k);
        }
      } else {
        s[k] = x;
      }
    }
    return [s, t];
  };
  const [s, t] = walk(values);
  return { static: s, templated: t, outputs, templates, templatedKeys };
}
