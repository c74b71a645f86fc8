import { CredentialMatch, findCredentials } from './credentials';
import { scanWithRuleSet } from './secret-scanner';

/**
 * What the credential scan finds in one text: the library's own patterns (credentials.ts) and
 * the maintained scanner's matches (secret-scanner.ts), each in the order its scan found them.
 * It depends on the text alone, so it can be made wherever the text is (the YAML thread scans
 * the texts it made while the render's thread runs the other checks).
 */
export interface TextScan {
  readonly own: readonly CredentialMatch[];
  /** The maintained scanner's matches: offset in the text, and the rule and message id. */
  readonly ruleSet: readonly { readonly offset: number; readonly kind: string }[];
}

/** Scans each text (the scanner's rules over ~1 MB chunks of them); one {@link TextScan} per text, in order. */
export function scanTexts(texts: readonly string[]): TextScan[] {
  const out = texts.map((t) => ({ own: findCredentials(t), ruleSet: [] as { offset: number; kind: string }[] }));
  for (const m of scanWithRuleSet(texts)) out[m.text].ruleSet.push({ offset: m.offset, kind: m.kind });
  return out;
}
