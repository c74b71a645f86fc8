import { messages } from '../../core/errors';
import { CREDENTIAL_KEY, externalSecretLiterals, isListKind, LITERAL_CREDENTIAL_LINE, nestedSecrets } from '../secret-checks';
import { SecurityRule } from '../security-rule';
import { arr, at, hasEntries, isToken, named, obj, PolicyFinding, PolicyRule } from './rule';

const RULE = SecurityRule.NO_SECRET_DATA;
/** `kind: Secret` anywhere in a text (nested in values, or in a YAML string). */
const NESTED_SECRET = /\bkind\\?["']?:\s*\\?["']?Secret\b/;

/** Secrets held anywhere in a value (chart values, manifests held as text). */
function secretsInValues(out: PolicyFinding[], file: string, what: string, values: unknown): void {
  const nested = nestedSecrets(values);
  if (nested.length > 0) out.push({ rule: RULE, file, message: messages.policy.secretInside(RULE, file, what, nested) });
}

/** A Terraform expression that reads a data source (a value read at apply time, not held in the JSON). */
const READS_DATA_SOURCE = /\$\{[^}]*\bdata\./;

/**
 * A Terraform `kubernetes_secret` whose data the committed JSON holds: any data, except a
 * Secret whose credentials are read from the secret store at apply time (the platform
 * repository's bootstrap Secret): at least one entry reads a data source, and every entry
 * under a credential's name (password, key, token, ...) does.
 */
function terraformSecretHoldsData(data: unknown): boolean {
  const entries = Object.entries(obj(data) ?? {});
  if (entries.length === 0) return false;
  const read = (v: unknown) => typeof v === 'string' && READS_DATA_SOURCE.test(v);
  return !entries.some(([, v]) => read(v)) || entries.some(([k, v]) => CREDENTIAL_KEY.test(k) && !read(v));
}

/**
 * No Kubernetes Secret (or Terraform `kubernetes_secret`, unless its credentials are read by
 * data sources at apply time) carries data, nor a Secret held in
 * chart values or in a manifest held as text; no ExternalSecret template holds literal
 * credentials; no `helm_release` has literal `set_sensitive` values.
 */
export const noSecretData: PolicyRule = {
  rule: RULE,
  kinds: ['Secret'],
  create: (out) => ({
    wantsValues: (text, kinds) => NESTED_SECRET.test(text) || kinds.some(isListKind) || (kinds.includes('ExternalSecret') && LITERAL_CREDENTIAL_LINE.test(text)),
    contents(f, kind, name, o) {
      if (isListKind(kind) || !/Secret/.test(f.text)) return;
      const nested = nestedSecrets(o);
      if (nested.length > 0) out.push({ rule: RULE, file: f.file, message: messages.policy.secretInside(RULE, f.file, named(kind, name), nested) });
    },
    object(f, kind, name, o) {
      if (kind === 'ExternalSecret') {
        const literals = externalSecretLiterals(o);
        if (literals.length > 0) out.push({ rule: RULE, file: f.file, message: messages.policy.externalSecretLiterals(RULE, f.file, name, literals) });
      } else if (kind === 'Secret' && (hasEntries(o.data) || hasEntries(o.stringData))) {
        out.push({ rule: RULE, file: f.file, message: messages.policy.secretWithData(RULE, f.file, name) });
      }
    },
    values: (file, values) => secretsInValues(out, file, 'values', values),
    terraform({ file, each }) {
      for (const type of ['kubernetes_secret', 'kubernetes_secret_v1']) {
        each(type, (n, r) => {
          if (terraformSecretHoldsData(at(r, 'data')) || hasEntries(at(r, 'binary_data'))) out.push({ rule: RULE, file, message: messages.policy.terraformSecretWithData(RULE, file, `${type}.${n}`) });
        });
      }
      each('kubernetes_manifest', (n, r) => secretsInValues(out, file, `kubernetes_manifest.${n}`, at(r, 'manifest')));
      each('kubernetes_manifest', (n, r) => {
        const m = at(r, 'manifest');
        if (at(m, 'kind') === 'Secret' && (hasEntries(at(m, 'data')) || hasEntries(at(m, 'stringData')))) {
          out.push({ rule: RULE, file, message: messages.policy.terraformManifestSecret(RULE, file, `kubernetes_manifest.${n}`) });
        }
      });
      each('helm_release', (n, r) => {
        const literal = arr(at(r, 'set_sensitive')).filter((s) => typeof at(s, 'value') === 'string' && !isToken(at(s, 'value')));
        if (literal.length > 0) out.push({ rule: RULE, file, message: messages.policy.literalSetSensitive(RULE, file, `helm_release.${n}`, literal.map((s) => at(s, 'name'))) });
      });
    },
    helmRelease: (file, what, values) => values.forEach((v) => secretsInValues(out, file, `${what} values`, v)),
  }),
};
