import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';

/**
 * The credential patterns of a maintained scanner: the rules of secretlint's recommended
 * preset (pinned exactly in package.json; the version is in {@link SECRET_SCANNER}), run
 * through secretlint's rule API (`create(context, options).file(source)`), synchronously,
 * over the output.
 *
 * Calling the rules costs about the same per call whatever the text's size, so the texts are
 * scanned in chunks of about 1 MB (separated by a line holding NUL, which no pattern spans)
 * and each match is mapped back to its file and line: linear in the size of the output.
 * @see https://github.com/secretlint/secretlint/tree/master/packages/%40secretlint/secretlint-rule-preset-recommend
 */

/** The scanner whose rules are run, as the report and SECURITY.md name it. */
export const SECRET_SCANNER = 'secretlint-rule-preset-recommend 12.0.0';

/** What the library needs of a secretlint rule (its public rule API). */
interface RuleCreator {
  readonly meta: { readonly id: string };
  create(context: RuleContext, options: Record<string, unknown>): { file?: (source: RuleSource) => unknown };
}
interface RuleContext {
  createTranslator(messages: unknown): (id: string, data?: unknown) => { message: string; data?: unknown };
  report(descriptor: { message: { message: string } | string; range: readonly [number, number] }): void;
  ignore(descriptor: unknown): void;
  registerRule(rule: unknown): void;
}
interface RuleSource {
  readonly content: string;
  readonly filePath: string;
  readonly ext: string;
  readonly contentType: 'text';
}

/** One match of a rule: which text (by the caller's index), where, and the rule and message id. */
export interface ScannerMatch {
  readonly text: number;
  /** Offset in that text. */
  readonly offset: number;
  /** E.g. `aws: AWSSecretAccessKey`. */
  readonly kind: string;
}

// the comment filter (`secretlint-disable`) only tells secretlint what to skip: output is never exempt
const SKIPPED = new Set(['@secretlint/secretlint-rule-filter-comments']);
const CHUNK = 1 << 20;
const SEPARATOR = '\n\0\n';

let handlers: { readonly id: string; readonly file: (source: RuleSource) => unknown; readonly found: { offset: number; message: string }[] }[] | undefined;

function load(): NonNullable<typeof handlers> {
  if (handlers) return handlers;
  handlers = [];
  for (const rule of recommendedRules as unknown as RuleCreator[]) {
    if (SKIPPED.has(rule.meta.id)) continue;
    const found: { offset: number; message: string }[] = [];
    const context: RuleContext = {
      createTranslator: () => (id) => ({ message: id }),
      report: (d) => found.push({ offset: d.range[0], message: typeof d.message === 'string' ? d.message : d.message.message }),
      ignore: () => undefined,
      registerRule: () => undefined,
    };
    const file = rule.create(context, {}).file;
    if (file) handlers.push({ id: rule.meta.id.replace('@secretlint/secretlint-rule-', ''), file, found });
  }
  return handlers;
}

/** Runs every rule over `texts` (in ~1 MB chunks); returns each match with the index of its text. */
export function scanWithRuleSet(texts: readonly string[]): ScannerMatch[] {
  const rules = load();
  const out: ScannerMatch[] = [];
  let start = 0;
  while (start < texts.length) {
    // one chunk: whole texts, at least one, up to ~1 MB
    const offsets: number[] = [];
    let content = '';
    let end = start;
    while (end < texts.length && (end === start || content.length + texts[end].length < CHUNK)) {
      if (end > start) content += SEPARATOR;
      offsets.push(content.length);
      content += texts[end];
      end++;
    }
    for (const rule of rules) {
      rule.found.length = 0;
      const result = rule.file({ content, filePath: 'output.yaml', ext: '.yaml', contentType: 'text' });
      // a rule that works asynchronously (binary key stores) has nothing to say about text
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).catch(() => undefined);
      for (const f of rule.found) {
        let i = offsets.length - 1;
        while (i > 0 && offsets[i] > f.offset) i--;
        out.push({ text: start + i, offset: f.offset - offsets[i], kind: `${rule.id}: ${f.message}` });
      }
    }
    start = end;
  }
  return out;
}
