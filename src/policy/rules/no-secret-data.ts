import { messages } from '../../core/errors';
import { externalSecretLiterals, isListKind, LITERAL_CREDENTIAL_LINE, nestedSecrets } from '../secret-checks';
import { SecurityRule } from '../security-rule';
import { arr, at, hasEntries, isToken, named, PolicyFinding, PolicyRule } from './rule';

const RULE = SecurityRule.NO_SECRET_DATA;
/** `kind: Secret` anywhere in a text (nested in values, or in a YAML string). */
const NESTED_SECRET = /\bkind\\?["']?:\s*\\?["']?Secret\b/;

/** Secrets held anywhere in a value (chart values, manifests held as text). */
function secretsInValues(out: PolicyFinding[], file: string, what: string, values: unknown): void {
  const nested = nestedSecrets(values);
  if (nested.length > 0) out.push({ rule: RULE, file, message: messages.policy.secretInside(RULE, file, what, nested) });
}

/**
 * No Kubernetes Secret (or Terraform `kubernetes_secret`) carries data, nor a Secret held in
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
          if (hasEntries(at(r, 'data')) || hasEntries(at(r, 'binary_data'))) out.push({ rule: RULE, file, message: messages.policy.terraformSecretWithData(RULE, file, `${type}.${n}`) });
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
