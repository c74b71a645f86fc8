/**
 * The Go types of an Argo CD Application's fields that a `templatePatch` commonly sets, as Argo
 * CD decodes the rendered patch into `v1alpha1.Application` (`encoding/json`) before it applies
 * it: a value of another JSON type there fails the whole ApplicationSet (`cannot unmarshal number
 * into Go struct field ... of type string`). Fields not listed here are not checked; `null` is
 * every type's zero value; a map or list value's own fields are checked where listed. Argo CD's
 * `pkg/apis/application/v1alpha1/types.go` is the source.
 */
type FieldType = 'string' | 'bool' | 'int' | 'any' | { readonly list: FieldType } | { readonly map: FieldType } | { readonly fields: Readonly<Record<string, FieldType>> };

const STRINGS: FieldType = { list: 'string' };
const STRING_MAP: FieldType = { map: 'string' };

const HELM: FieldType = {
  fields: {
    valueFiles: STRINGS, values: 'string', valuesObject: 'any', releaseName: 'string', version: 'string', namespace: 'string', kubeVersion: 'string',
    passCredentials: 'bool', ignoreMissingValueFiles: 'bool', skipCrds: 'bool', skipSchemaValidation: 'bool', skipTests: 'bool', apiVersions: STRINGS,
    parameters: { list: { fields: { name: 'string', value: 'string', forceString: 'bool' } } },
    fileParameters: { list: { fields: { name: 'string', path: 'string' } } },
  },
};

const SOURCE: FieldType = {
  fields: {
    repoURL: 'string', path: 'string', targetRevision: 'string', chart: 'string', ref: 'string', name: 'string', helm: HELM,
    directory: { fields: { recurse: 'bool', exclude: 'string', include: 'string' } },
    kustomize: { fields: { namePrefix: 'string', nameSuffix: 'string', images: STRINGS, commonLabels: STRING_MAP, commonAnnotations: STRING_MAP, namespace: 'string', version: 'string' } },
  },
};

const APPLICATION: FieldType = {
  fields: {
    metadata: { fields: { name: 'string', namespace: 'string', labels: STRING_MAP, annotations: STRING_MAP, finalizers: STRINGS } },
    spec: {
      fields: {
        project: 'string', source: SOURCE, sources: { list: SOURCE }, revisionHistoryLimit: 'int',
        destination: { fields: { server: 'string', name: 'string', namespace: 'string' } },
        syncPolicy: {
          fields: {
            automated: { fields: { prune: 'bool', selfHeal: 'bool', allowEmpty: 'bool', enabled: 'bool' } },
            syncOptions: STRINGS,
            retry: { fields: { limit: 'int', backoff: { fields: { duration: 'string', factor: 'int', maxDuration: 'string' } } } },
            managedNamespaceMetadata: { fields: { labels: STRING_MAP, annotations: STRING_MAP } },
          },
        },
      },
    },
  },
};

/** Go's name for a JSON value's type in a decoding error. */
function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}

function goType(t: FieldType): string {
  if (typeof t === 'string') return t === 'int' ? 'int64' : t === 'any' ? 'interface {}' : t;
  if ('list' in t) return `[]${goType(t.list)}`;
  if ('map' in t) return `map[string]${goType(t.map)}`;
  return 'struct';
}

function check(v: unknown, t: FieldType, path: string): string | undefined {
  if (v === null || v === undefined || t === 'any') return undefined;
  const mismatch = () => `json: cannot unmarshal ${jsonKind(v)} into Go struct field Application.${path} of type ${goType(t)}`;
  if (t === 'string') return typeof v === 'string' ? undefined : mismatch();
  if (t === 'bool') return typeof v === 'boolean' ? undefined : mismatch();
  if (t === 'int') return typeof v === 'number' && Number.isInteger(v) ? undefined : mismatch();
  if ('list' in t) {
    if (!Array.isArray(v)) return mismatch();
    for (const x of v) {
      const e = check(x, t.list, path);
      if (e) return e;
    }
    return undefined;
  }
  if (typeof v !== 'object' || Array.isArray(v)) return mismatch();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const field = 'map' in t ? t.map : t.fields[k];
    if (field === undefined) continue;
    const e = check(x, field, 'map' in t ? path : `${path}.${k}`);
    if (e) return e;
  }
  return undefined;
}

/** What `encoding/json` says decoding `patch` into an Application, for the fields listed above; undefined when they decode. */
export function applicationDecodeError(patch: Record<string, unknown>): string | undefined {
  for (const [k, v] of Object.entries(patch)) {
    const field = (APPLICATION as { fields: Record<string, FieldType> }).fields[k];
    if (field === undefined) continue;
    const e = check(v, field, k);
    if (e) return e;
  }
  return undefined;
}
