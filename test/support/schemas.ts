// Strict validation against the upstream schemas in ../shared/schemas (data read at
// test time, never copied into the project). Tests that need them are skipped, and
// say so, where that folder does not exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';

export const SCHEMAS_DIR = path.resolve(__dirname, '../../../shared/schemas');
export const HAS_SCHEMAS = existsSync(SCHEMAS_DIR);

type Schema = Record<string, unknown>;

/** Kubernetes prunes unknown fields silently; make them errors so typos are caught. */
function strictify(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, Schema>).map(([k, v]) => [k, strictify(v)]));
    if (out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  }
  if (out.items && typeof out.items === 'object') out.items = strictify(out.items as Schema);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = strictify(out.additionalProperties as Schema);
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(out[key]) && key !== 'anyOf') out[key] = (out[key] as Schema[]).map(strictify);
  }
  return out;
}

// formats (int64, date-time, byte) are not checked: Kubernetes' own validation is not either
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

/** Upstream CRD files, by the kind they define (read lazily: some are megabytes). */
function crdFilesByKind(): Map<string, string> {
  const byKind = new Map<string, string>();
  for (const d of ['argo-cd', 'external-secrets', 'cert-manager', 'gateway-api', 'prometheus-operator']) {
    const dir = path.join(SCHEMAS_DIR, d);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml') && n !== 'chart-values.yaml')) {
      const file = path.join(dir, f);
      const text = readFileSync(file, 'utf8');
      const group = /^\s+group:\s*(\S+)\s*$/m.exec(text)?.[1];
      // a bundle (Gateway API) defines several kinds in one file
      for (const m of text.matchAll(/^\s+names:\s*\n(?:\s+[\w]+:.*\n|\s+-.*\n)*?\s+kind:\s*(\w+)\s*$/gm)) {
        if (group && !byKind.has(`${group}/${m[1]}`)) byKind.set(`${group}/${m[1]}`, file);
      }
    }
  }
  return byKind;
}

let filesByKind: Map<string, string> | undefined;
const strictSchemas = new Map<string, Schema>();

/** The strict schema of `apiVersion` + `kind`, from its upstream CRD (parsed on first use). */
function strictSchemaFor(apiVersion: string, kind: string): Schema | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!strictSchemas.has(key)) {
    filesByKind ??= crdFilesByKind();
    const [group] = apiVersion.split('/');
    const file = filesByKind.get(`${group}/${kind}`);
    if (!file) return undefined;
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const crd = doc.toJSON();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions) strictSchemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, strictify(v.schema.openAPIV3Schema));
    }
  }
  return strictSchemas.get(key);
}

/**
 * The part of a schema that can judge these instance values: properties the values do
 * not have become `{}` (their names stay, so unknown fields are still rejected). The
 * verdict is the same as the whole schema's (CRD schemas have no $ref), and compiling it
 * takes milliseconds instead of seconds (the ApplicationSet CRD repeats its template
 * under every generator).
 */
function pruneFor(schema: Schema, values: unknown[]): Schema {
  const out: Schema = { ...schema };
  const objects = values.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
  const arrays = values.filter((v): v is unknown[] => Array.isArray(v));
  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, Schema>).map(([k, sub]) => {
      const present = objects.filter((o) => k in o).map((o) => o[k]);
      return [k, present.length ? pruneFor(sub, present) : {}];
    }));
  }
  if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    const known = new Set(Object.keys((out.properties as object | undefined) ?? {}));
    const rest = objects.flatMap((o) => Object.entries(o).filter(([k]) => !known.has(k)).map(([, v]) => v));
    out.additionalProperties = rest.length ? pruneFor(out.additionalProperties as Schema, rest) : {};
  }
  if (out.items && typeof out.items === 'object' && !Array.isArray(out.items)) {
    const elements = arrays.flat();
    out.items = elements.length ? pruneFor(out.items as Schema, elements) : {};
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(out[key])) out[key] = (out[key] as Schema[]).map((s) => pruneFor(s, values));
  }
  return out;
}

const validators = new Map<string, ValidateFunction>();

/** True for a custom resource (one an upstream CRD defines); built-in kinds are checked with kubernetes-models. */
export function isCustomResource(obj: { apiVersion: string }): boolean {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return group.includes('.') && !group.endsWith('.k8s.io');
}

/** Validates a rendered custom resource strictly against its upstream CRD; returns the errors. */
export function crdErrors(obj: { apiVersion: string; kind: string }): string[] {
  const schema = strictSchemaFor(obj.apiVersion, obj.kind);
  if (!schema) return [`no upstream CRD for ${obj.apiVersion} ${obj.kind}`];
  const pruned = JSON.stringify(pruneFor(schema, [obj]));
  let v = validators.get(pruned);
  if (!v) validators.set(pruned, v = ajv.compile(JSON.parse(pruned)));
  return v(obj) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Validates an object strictly against a CRD given as an object (e.g. one a chart renders); returns the errors. */
export function errorsAgainstCrd(crd: any, obj: { apiVersion: string; kind: string }): string[] {
  const version = crd.spec.versions.find((v: any) => `${crd.spec.group}/${v.name}` === obj.apiVersion);
  if (!version || crd.spec.names.kind !== obj.kind) return [`${crd.metadata.name} does not define ${obj.apiVersion} ${obj.kind}`];
  const v = ajv.compile(pruneFor(strictify(version.schema.openAPIV3Schema), [obj]));
  return v(obj) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The argo-cd chart's default values.yaml (the chart ships no schema). */
/**
 * The `argocd-cmd-params-cm` keys the argo-cd chart's templates read (`configs.params` is a free
 * map of them): every `key:` of a `configMapKeyRef` naming that ConfigMap. Undefined without the chart sources.
 */
export function argoCdParamsKeys(): Set<string> | undefined {
  const dir = path.join(SCHEMAS_DIR, '..', 'charts', 'argo-cd-10.1.1', 'templates');
  if (!existsSync(dir)) return undefined;
  const keys = new Set<string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.yaml')) {
        const text = readFileSync(path.join(d, e.name), 'utf8');
        for (const m of text.matchAll(/key: ([\w.-]+)\s+name: argocd-cmd-params-cm|name: argocd-cmd-params-cm\s+key: ([\w.-]+)/g)) keys.add(m[1] ?? m[2]);
      }
    }
  };
  walk(dir);
  return keys;
}

export function argoCdChartValues(): Record<string, unknown> {
  const values = parse(readFileSync(path.join(SCHEMAS_DIR, 'argo-cd/chart-values.yaml'), 'utf8'));
  // the redis-ha subchart's own defaults, when its sources are here (its keys are set under `redis-ha`)
  const redisHa = path.join(SCHEMAS_DIR, '..', 'charts', 'argo-cd-10.1.1', 'charts', 'redis-ha', 'values.yaml');
  if (existsSync(redisHa)) values['redis-ha'] = deepMerge(parse(readFileSync(redisHa, 'utf8')), values['redis-ha']);
  return values;
}

/** `over`'s keys over `base`'s, maps merged key by key (as Helm merges a parent's values over a subchart's). */
function deepMerge(base: any, over: any): any {
  if (!over || typeof over !== 'object' || Array.isArray(over) || !base || typeof base !== 'object' || Array.isArray(base)) return over ?? base;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/** Compiles a chart values schema with the draft it declares (07 or 2020-12). */
export function compileValuesSchema(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, file), 'utf8'));
  const Ajv2020 = require('ajv/dist/2020').default;
  const draft2020 = String(schema.$schema ?? '').includes('2020-12');
  return (draft2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true })).compile(schema);
}
