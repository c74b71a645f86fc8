// Strict validation against the upstream schemas in ../shared/schemas (data read at
// test time, never copied into the project). Tests that need them are skipped, and
// say so, where that folder does not exist.
import { existsSync, readFileSync } from 'node:fs';
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

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

function crdFiles(): string[] {
  const dirs = ['argo-cd', 'external-secrets', 'cert-manager'];
  return dirs.flatMap((d) => {
    const dir = path.join(SCHEMAS_DIR, d);
    if (!existsSync(dir)) return [];
    return require('node:fs').readdirSync(dir).filter((f: string) => f.endsWith('.yaml') && f !== 'chart-values.yaml').map((f: string) => path.join(dir, f));
  });
}

function loadCrds(): void {
  if (validators.size > 0) return;
  for (const file of crdFiles()) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const crd = doc.toJSON();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions) {
        const schema = strictify(v.schema.openAPIV3Schema);
        validators.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
}

/** Validates a rendered custom resource strictly against its upstream CRD; returns the errors. */
export function crdErrors(obj: { apiVersion: string; kind: string }): string[] {
  loadCrds();
  const v = validators.get(`${obj.apiVersion}/${obj.kind}`);
  if (!v) return [`no upstream CRD for ${obj.apiVersion} ${obj.kind}`];
  return v(obj) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The argo-cd chart's default values.yaml (the chart ships no schema). */
export function argoCdChartValues(): Record<string, unknown> {
  return parse(readFileSync(path.join(SCHEMAS_DIR, 'argo-cd/chart-values.yaml'), 'utf8'));
}

/** Compiles a chart values schema with the draft it declares (07 or 2020-12). */
export function compileValuesSchema(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, file), 'utf8'));
  const Ajv2020 = require('ajv/dist/2020').default;
  const draft2020 = String(schema.$schema ?? '').includes('2020-12');
  return (draft2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true })).compile(schema);
}
