import { messages } from '../../core/errors';
import { CredentialScan, multilineStrings } from '../secret-checks';
import { SecurityRule } from '../security-rule';
import { PolicyRule } from './rule';

const RULE = SecurityRule.NO_CREDENTIALS;

/** No credential-looking string anywhere in the output: each file's text is scanned once, and the strings of Terraform JSON that span lines. */
export const noCredentials: PolicyRule = {
  rule: RULE,
  kinds: [],
  create: (out, options) => {
    const credentials = new CredentialScan(options.cleanTexts);
    return {
      file: (f) => credentials.add(f.file, f.text, 1, f.credentialScan),
      terraform({ file, text, doc }) {
        // JSON escapes line breaks: the strings that span lines (Helm values, scripts) are scanned as they are
        for (const s of multilineStrings(doc)) credentials.add(file, s, text.slice(0, Math.max(0, text.indexOf(JSON.stringify(s).slice(1, 60)))).split('\n').length);
      },
      finish() {
        for (const c of credentials.findings()) out.push({ rule: RULE, file: c.file, message: messages.policy.credentials(RULE, c.file, c.kind, c.line, c.preview) });
      },
    };
  },
};
