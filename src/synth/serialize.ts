import { ApiObject, Chart } from 'cdk8s';

/** Where an object of a cluster's chart is written, relative to the cluster folder. */
export function objectFileName(obj: { kind: string; metadata: { name?: string; namespace?: string } }): string {
  const ns = obj.metadata.namespace ?? '_cluster';
  return `${ns}/${obj.kind.toLowerCase()}-${obj.metadata.name}.yaml`;
}

/**
 * A chart's ApiObjects as JSON, one by one, with the file each is written to. cdk8s's
 * `Chart.toJson()` validates the whole app for every chart (quadratic in the number of
 * charts); the platform validates once, so this is linear. The render pass emits their YAML.
 */
export function chartObjects(chart: Chart): { file: string; path: string; json: unknown }[] {
  return chart.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((o) => {
      const json = o.toJson();
      return { file: objectFileName(json), path: o.node.path, json };
    });
}
