import { createHash } from 'node:crypto';
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

const NOTHING_FOUND: TextScan = { own: [], ruleSet: [] };

/**
 * The texts a scan found no credential in, by the hash of their content, kept from one synth to
 * the next (the synth cache): a scan depends on the text alone, so a text an earlier synth found
 * clean is not scanned again. A text with a match is scanned every time, and nothing of a match
 * is kept.
 */
export class CleanTexts {
  private readonly now = new Set<string>();

  constructor(private readonly before: ReadonlySet<string>) {}

  /** {@link scanTexts}, skipping the texts found clean before. */
  public scan(texts: readonly string[]): TextScan[] {
    const hashes = texts.map((t) => createHash('sha256').update(t).digest('hex'));
    const out: TextScan[] = [];
    const todo: number[] = [];
    hashes.forEach((h, i) => {
      if (this.before.has(h)) {
        out[i] = NOTHING_FOUND;
        this.now.add(h);
      } else {
        todo.push(i);
      }
    });
    scanTexts(todo.map((i) => texts[i])).forEach((s, k) => {
      out[todo[k]] = s;
      if (s.own.length === 0 && s.ruleSet.length === 0) this.now.add(hashes[todo[k]]);
    });
    return out;
  }

  /** The texts of this pass found clean (for the next synth). */
  public get clean(): ReadonlySet<string> {
    return this.now;
  }
}
