import { parseAllDocuments } from 'yaml';
import { CleanTexts, scanTexts, TextScan } from './text-scan';

/**
 * The parts of the policy pass that look for Secrets and credentials where a plain scan
 * does not see them: Secrets nested in chart values (`extraObjects`, vCluster manifests
 * held as a YAML string), `...List` kinds, ExternalSecret templates with literal data,
 * strings of Terraform JSON (whose line breaks are escaped), and the credential patterns of
 * a maintained scanner next to the library's own.
 */

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Obj : undefined);
const hasEntries = (v: unknown) => Object.keys(obj(v) ?? {}).length > 0;

/** YAML documents of a text, with YAML 1.1 merge keys (`<<: *anchor`) applied; [] when it does not parse. */
export function parseYamlDocuments(text: string): unknown[] {
  // merge keys cost a sixth more parsing time: only where a text has one
  const merge = text.includes('<<');
  const docs = parseAllDocuments(text, { merge });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length > 0)) throw list.find((d) => d.errors.length > 0)!.errors[0];
  return list.map((d) => (merge ? d.toJS({ maxAliasCount: 1000 }) : d.toJSON()) as unknown);
}

/**
 * A line that may be a literal credential in an ExternalSecret's template (a credential's name,
 * a value that is not a template): only files with one are parsed for {@link externalSecretLiterals}.
 * The store references (`secretKey`, `secretStoreRef`, `remoteRef`, `key`) are not credentials.
 */
export const LITERAL_CREDENTIAL_LINE = /^[ \t]+(?!secretKey:|secretStoreRef:|remoteRef:|key:)["']?[\w.-]*(?:pass(?:word|wd)?|token|secret|key|auth|credential|dockerconfig|private|kubeconfig)[\w.-]*["']?:[ \t]*(?!["']?\{\{)["']?[^\s"'{|>]/im;

/** True for a kind that holds `items` (`List`, `SecretList`, `ConfigMapList`, ...). */
export function isListKind(kind: unknown): boolean {
  return typeof kind === 'string' && kind.endsWith('List');
}

/** True when a Secret (or a Secret-like manifest) carries data. */
function secretWithData(o: Obj): boolean {
  return o.kind === 'Secret' && (hasEntries(o.data) || hasEntries(o.stringData));
}

/**
 * Where Secrets with data hide inside a value (chart values, a manifest's fields): as objects
 * (`extraObjects: [{ kind: Secret, data: ... }]`), as items of a `...List`, or in a string that
 * holds YAML manifests (vCluster `experimental.deploy.vcluster.manifests`). Returns each one's
 * path in the value. The value itself is not counted (a top-level Secret is checked as such).
 */
export function nestedSecrets(value: unknown, path = ''): string[] {
  const found: string[] = [];
  // each entry's path is built only when something is found there (most values hold no Secret)
  const stack: NestedEntry[] = [{ v: value, at: path, depth: 0, top: true }];
  while (stack.length > 0) {
    const e = stack.pop()!;
    const { v, depth } = e;
    if (typeof v === 'string') {
      // a YAML text holding manifests: parsed (at most 3 levels of text in text)
      if (depth < 3 && /\bkind:\s*["']?Secret\b/.test(v)) {
        let docs: unknown[] = [];
        try {
          docs = parseYamlDocuments(v);
        } catch {
          docs = [];
        }
        const p = pathOf(e);
        docs.forEach((d, i) => {
          const o = obj(d);
          if (o && secretWithData(o)) found.push(`${p || 'a string'} (document ${i + 1}: Secret ${JSON.stringify(String(obj(o.metadata)?.name ?? ''))})`);
          else stack.push({ v: d, at: `${p}[document ${i + 1}]`, depth: depth + 1, top: false });
        });
      }
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], parent: e, index: i, depth, top: false });
      continue;
    }
    const o = obj(v);
    if (!o) continue;
    if (!e.top && secretWithData(o)) {
      found.push(`${pathOf(e)} (Secret ${JSON.stringify(String(obj(o.metadata)?.name ?? ''))})`);
      continue;
    }
    for (const k of Object.keys(o)) stack.push({ v: o[k], parent: e, key: k, depth, top: false });
  }
  return found;
}

/** A value met by {@link nestedSecrets}: its path is `at`, or its parent's path and its key or index. */
interface NestedEntry {
  readonly v: unknown;
  readonly depth: number;
  readonly top: boolean;
  readonly at?: string;
  readonly parent?: NestedEntry;
  readonly key?: string;
  readonly index?: number;
}

/** The path of an entry, as `a.b[0].c` (the same text the walk built eagerly before). */
function pathOf(e: NestedEntry): string {
  if (e.parent === undefined) return e.at ?? '';
  const p = pathOf(e.parent);
  if (e.index !== undefined) return `${p}[${e.index}]`;
  return p ? `${p}.${e.key}` : e.key!;
}

/** Keys of an ExternalSecret template that hold credentials when their value is a literal. */
export const CREDENTIAL_KEY = /pass(word|wd)?|token|secret|(^|[-_.])key$|apikey|auth|credential|dockerconfig|private|kubeconfig/i;

/**
 * The literal credentials of an ExternalSecret's template: `spec.target.template.data` or
 * `stringData` entries under a credential's name (password, token, key, auth, ...) whose value
 * is not a template (no `{{`): those go into the Secret as written, from Git.
 */
export function externalSecretLiterals(o: Obj): string[] {
  const template = obj(obj(obj(o.spec)?.target)?.template);
  const out: string[] = [];
  for (const field of ['data', 'stringData']) {
    for (const [k, v] of Object.entries(obj(template?.[field]) ?? {})) {
      if (typeof v === 'string' && v !== '' && !v.includes('{{') && CREDENTIAL_KEY.test(k)) out.push(`spec.target.template.${field}.${k}`);
    }
  }
  return out;
}

/** Every string of a parsed JSON document that spans lines (Terraform JSON escapes line breaks). */
export function multilineStrings(doc: unknown): string[] {
  const out: string[] = [];
  const stack = [doc];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\n')) out.push(v);
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else if (v && typeof v === 'object') {
      stack.push(...Object.values(v));
    }
  }
  return out;
}

/** One credential found in one text of a file. */
export interface CredentialFinding {
  readonly file: string;
  readonly kind: string;
  readonly line: number;
  readonly preview: string;
}

/**
 * Collects texts (a file's text, and the multi-line strings of its JSON) and finds the
 * credentials in them: the library's own patterns per text, then the maintained scanner's
 * rules over all texts in chunks. One finding per file, line and kind, in the order of the
 * texts (the library's own findings first, then the scanner's).
 */
export class CredentialScan {
  private readonly texts: string[] = [];
  private readonly files: string[] = [];
  /** Where each extra text starts in its file (line offset), for line numbers. */
  private readonly lines: number[] = [];
  /** A scan of the text made elsewhere (see {@link add}). */
  private readonly scanned: ((() => TextScan | undefined) | undefined)[] = [];

  /** `clean`: the texts an earlier synth found clean, not scanned again. */
  constructor(private readonly clean?: CleanTexts) {}

  /**
   * Adds a text of `file`; `line` is the file's line the text starts on (1 for the file itself).
   * `scanned`, when given, returns that text's scan made elsewhere (asked for only when the
   * findings are), or undefined when there is none after all: then the text is scanned here.
   */
  public add(file: string, text: string, line = 1, scanned?: () => TextScan | undefined): void {
    this.texts.push(text);
    this.files.push(file);
    this.lines.push(line);
    this.scanned.push(scanned);
  }

  /** Every credential found, in the order the texts were added. */
  public findings(): CredentialFinding[] {
    const out: CredentialFinding[] = [];
    const seen = new Set<string>();
    const push = (i: number, kind: string, line: number, preview: string) => {
      const fileLine = this.lines[i] + line - 1;
      const key = `${this.files[i]}\0${fileLine}`;
      if (seen.has(`${key}\0${kind}`)) return;
      seen.add(`${key}\0${kind}`);
      out.push({ file: this.files[i], kind, line: fileLine, preview });
    };
    const scans = this.scanned.map((s) => s?.());
    const here = scans.flatMap((s, i) => (s ? [] : [i]));
    const texts = here.map((i) => this.texts[i]);
    (this.clean ? this.clean.scan(texts) : scanTexts(texts)).forEach((s, k) => { scans[here[k]] = s; });
    const own = new Set<string>();
    scans.forEach((s, i) => {
      for (const c of s!.own) {
        own.add(`${this.files[i]}\0${this.lines[i] + c.line - 1}`);
        push(i, c.kind, c.line, c.preview);
      }
    });
    scans.forEach((s, i) => {
      const text = this.texts[i];
      for (const m of s!.ruleSet) {
        const line = text.slice(0, m.offset).split('\n').length;
        // the same credential found by the library's own patterns is reported once
        if (own.has(`${this.files[i]}\0${this.lines[i] + line - 1}`)) continue;
        push(i, `a credential (${m.kind})`, line, `${text.slice(m.offset, m.offset + 4)}…`);
      }
    });
    return out;
  }
}
