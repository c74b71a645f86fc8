import { DumpOptions, DUMP_SCHEMA, jsToAst, present, PresenterOptions } from 'js-yaml';

/** The options of every dump (also handed to the thread that emits YAML off the render's thread). */
export const YAML_OPTIONS: Readonly<DumpOptions> = Object.freeze({ lineWidth: -1, noRefs: true, skipInvalid: true });

/**
 * The library's one YAML emitter: every YAML text it writes or hands on is made here, by
 * js-yaml (the `yaml` package is used for reading only).
 *
 * - Generated files (manifests, value files, reports).
 * - The `templatePatch` of a catalog ApplicationSet (catalog/template-patch.ts). Argo CD
 *   reads the patch, after its Go template engine ran, with sigs.k8s.io/yaml (go-yaml v2's
 *   YAML 1.1 resolution), so a value or key such as `on`, `y` or `no` must be quoted there
 *   too; the patch builder also relies on strings being single-quoted on one line (its
 *   markers) and never folded.
 * - Helm values handed to `helm template` (argocd/repo-server.ts: an Application's
 *   `valuesObject`), which Helm reads with the same YAML 1.1 resolution.
 *
 * js-yaml quotes any string a YAML 1.1 reader would take for something else (`yes`, `on`,
 * `N`, `Off`, ...), in keys as in values: Kubernetes and Argo CD read manifests with a YAML 1.1
 * parser, where an unquoted `on` is a boolean. It is also 2.5-3x faster than the `yaml`
 * package's emitter, the largest cost of a fleet-scale synth
 * (docs/decisions/0006-performance.md). Keys keep their order; `undefined` values are left
 * out, as in JSON; strings that need quotes get single quotes; lines are never folded.
 */
export function toYaml(value: unknown): string {
  return present(jsToAst(value, DUMP_SCHEMA, YAML_OPTIONS), PRESENTER_OPTIONS);
}

/**
 * What `dump(value, YAML_OPTIONS)` does, in the two steps js-yaml exports, with their options made
 * once: `dump` merges its defaults into fresh option objects on every call, which cost about a
 * tenth of the emitter's time at fleet scale (tens of thousands of small documents). The bytes
 * are `dump`'s (yaml.test.ts compares them). The YAML thread does the same.
 */
const PRESENTER_OPTIONS: PresenterOptions = Object.freeze({ lineWidth: YAML_OPTIONS.lineWidth, schema: DUMP_SCHEMA });
