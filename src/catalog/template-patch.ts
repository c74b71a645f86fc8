import { randomBytes } from 'crypto';
import { messages } from '../core/errors';
import { toYaml } from '../synth/yaml';

/**
 * The `templatePatch` of a catalog ApplicationSet, built as data and serialized.
 *
 * Argo CD runs the Go template engine over the patch text before it parses the YAML, so a
 * value that holds `{{` or `}}` would be code, not data. Every value here is data that was
 * validated to hold no template delimiter (see `checkNoTemplate`); the only template actions
 * in the result are the library's own: the fixed control blocks below (inserted where a
 * marker stands in the serialized data) and the expressions listed in `expressions`. The
 * result is checked against that list before it is returned, so a value that slipped past
 * validation is an error, never a template action.
 */

/**
 * A marker the serializer writes as a string; replaced by a fixed block afterwards. It holds a
 * random nonce per call, so no value can forge one (markers never reach the output).
 */
const MARK = (nonce: string, name: string) => `{{/* fragment:${name}:${nonce} */}}`;
const MARK_LINE = /^(\s*)(- )?(?:([\w.-]+): )?'\{\{\/\* fragment:(\w+):([0-9a-f]+) \*\/\}\}'$/;

/** The expressions a cluster output may be (its name is checked where it is declared; checked again here). */
const OUTPUT_EXPRESSION = /^\{\{ (?:\.name|index \.metadata\.annotations "[a-z][a-z0-9_]{0,62}") \}\}$/;

/** Fixed control blocks of the library (never built from values). */
const FRAGMENTS: Record<string, (indent: string, key?: string) => string[]> = {
  // a Helm source's `valueFiles`, only when the generator lists some
  valueFiles: (i, key) => [
    `${i}{{- if .values.valueFiles }}`,
    `${i}${key}:`,
    `${i}{{- range (splitList "," .values.valueFiles) }}`,
    `${i}  - {{ . | quote }}`,
    `${i}{{- end }}`,
    `${i}{{- end }}`,
  ],
  ifManifests: (i) => [`${i}{{- if .values.manifestsPath }}`],
  end: (i) => [`${i}{{- end }}`],
};

/** What the patch of one entry holds (all values already validated). */
export interface TemplatePatchInput {
  /** The chart source (repoURL, chart or path, targetRevision). */
  readonly chartSource: Record<string, unknown>;
  /** Helm release name. */
  readonly releaseName: string;
  /**
   * The values templated per cluster, or undefined: each leaf is a cluster output's Go
   * template (one of `expressions`). Argo CD inserts the value it gives as a quoted YAML
   * string (`| quote`), so whatever an output holds stays one string.
   */
  readonly valuesObject?: Record<string, unknown>;
  /** The platform repository (the `$values` reference and the manifests source). */
  readonly repository: { readonly url: string; readonly revision: string };
  /** The template expressions the data may hold (the library's, e.g. `{{ .values.version }}`). */
  readonly expressions: readonly string[];
}

/** Thrown when a value would become a template action; callers turn it into the library's validation error. */
export class TemplateActionError extends Error {
  constructor(public readonly action: string) {
    super(messages.catalog.templateAction(action));
  }
}

/** Serializes the patch; throws {@link TemplateActionError} when anything but the library's actions would reach the engine. */
export function templatePatch(input: TemplatePatchInput): string {
  const nonce = randomBytes(12).toString('hex');
  // each templated value becomes a marker first: the serializer would quote the template itself
  const values: string[] = [];
  const valueMark = (n: number) => `{{/* value:${n}:${nonce} */}}`;
  const withMarks = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!input.expressions.includes(v)) return v;
      if (!OUTPUT_EXPRESSION.test(v)) throw new TemplateActionError(v);
      values.push(v);
      return valueMark(values.length - 1);
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withMarks(x)]));
    return v;
  };
  const data = {
    spec: {
      sources: [
        {
          ...input.chartSource,
          helm: {
            releaseName: input.releaseName,
            valueFiles: MARK(nonce, 'valueFiles'),
            ...(input.valuesObject ? { valuesObject: withMarks(input.valuesObject) } : {}),
          },
        },
        { repoURL: input.repository.url, targetRevision: input.repository.revision, ref: 'values' },
        MARK(nonce, 'ifManifests'),
        { repoURL: input.repository.url, targetRevision: input.repository.revision, path: '{{ .values.manifestsPath }}' },
        MARK(nonce, 'end'),
      ],
    },
  };
  const serialized = toYaml(data);
  const allowed = new Set(['{{ .values.version }}', '{{ .values.manifestsPath }}']);
  const lines: string[] = [];
  let markers = 0;
  for (const line of serialized.trimEnd().split('\n')) {
    const m = MARK_LINE.exec(line);
    if (m && m[5] === nonce && FRAGMENTS[m[4]]) {
      // a list item's marker stands at the item's indentation; a key's marker at the key's
      lines.push(...FRAGMENTS[m[4]](m[1], m[3]));
      markers++;
      continue;
    }
    // the value markers (this call's nonce) become the output's expression, piped to `quote`
    const withValues = line.replace(new RegExp(`'\\{\\{/\\* value:(\\d+):${nonce} \\*/\\}\\}'`, 'g'), (_m, n: string) => {
      markers++;
      return `{{ ${values[Number(n)].slice(2, -2).trim()} | quote }}`;
    });
    const rest = withValues === line ? line : line.replace(new RegExp(`'\\{\\{/\\* value:\\d+:${nonce} \\*/\\}\\}'`, 'g'), '');
    for (const action of rest.match(/\{\{|\}\}/g) ? actionsOf(rest) : []) {
      if (!allowed.has(action)) throw new TemplateActionError(action);
    }
    lines.push(withValues);
  }
  if (markers !== 3 + values.length) throw new TemplateActionError(messages.catalog.lostFragmentMarker());
  return lines.join('\n') + '\n';
}

/** The `{{ ... }}` actions of a line, and any unpaired delimiter. */
function actionsOf(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  for (;;) {
    const open = rest.indexOf('{{');
    const close = rest.indexOf('}}');
    if (open < 0 && close < 0) return out;
    if (open < 0 || (close >= 0 && close < open)) return [...out, rest.slice(close, close + 2)];
    const end = rest.indexOf('}}', open + 2);
    if (end < 0) return [...out, rest.slice(open)];
    out.push(rest.slice(open, end + 2));
    rest = rest.slice(end + 2);
  }
}
