import { dump } from 'js-yaml';

/**
 * The YAML of every generated file. js-yaml quotes any string a YAML 1.1 reader would take
 * for something else (`yes`, `on`, `N`, `Off`, ...): Kubernetes and Argo CD read manifests
 * with a YAML 1.1 parser, where an unquoted `on` is a boolean. It is also 2.5-3x faster than
 * the `yaml` package's emitter, the largest cost of a fleet-scale synth
 * (docs/decisions/0006-performance.md). Keys keep their order; `undefined` values are left
 * out, as in JSON.
 */
export function toYaml(value: unknown): string {
  return dump(value, { lineWidth: -1, noRefs: true, skipInvalid: true });
}
