import { describe, expect, it } from 'vitest';
import { expandApplicationSet, GoTemplateError, renderGoTemplate } from '../src';

const r = (t: string, data: unknown = {}, missing?: 'default' | 'zero' | 'error') => renderGoTemplate(t, data, missing);

describe('renderGoTemplate: Go text/template exactly, or an error naming what is not modelled', () => {
  it('runs else branches of if, else if, range and with', () => {
    expect(r('{{ if .a }}x{{ else }}y{{ end }}', { a: false })).toBe('y');
    expect(r('{{ if .a }}x{{ else if .b }}y{{ else }}z{{ end }}', { a: '', b: 'b' })).toBe('y');
    expect(r('{{ range .l }}{{ . }},{{ else }}empty{{ end }}', { l: [] })).toBe('empty');
    expect(r('{{ range $i, $v := .l }}{{ $i }}={{ $v }} {{ end }}', { l: ['p', 'q'] })).toBe('0=p 1=q ');
    expect(r('{{ range $k, $v := .m }}{{ $k }}:{{ $v }};{{ end }}', { m: { b: 2, a: 1 } })).toBe('a:1;b:2;');
    expect(r('{{ with .m }}{{ .a }}{{ else }}none{{ end }}', { m: {} })).toBe('none');
    expect(r('{{ with .x }}{{ . }}{{ else with .y }}y={{ . }}{{ end }}', { x: 0, y: 'Y' })).toBe('y=Y');
  });

  it('prints non-strings as Go does', () => {
    expect(r('{{ .m }} {{ .l }} {{ .e }} {{ .b }}', { m: { b: ['p', 'q'], a: 1 }, l: ['p', 'q'], e: {}, b: true })).toBe('map[a:1 b:[p q]] [p q] map[] true');
    expect(r('{{ .a }} {{ .b }} {{ .c }} {{ .d }} {{ .e }} {{ .f }}', { a: 1000000, b: 1234567, c: 123456, d: 0.00001, e: 0.0001, f: 1.5 })).toBe('1e+06 1.234567e+06 123456 1e-05 0.0001 1.5');
    expect(r('{{ 3 }} {{ 1e3 }} {{ 2.0 }} {{ print 1 2 "a" 3 }}')).toBe('3 1000 2 1 2a3');
    expect(r('{{ .n }} {{ .m }}', { n: null, m: { x: null } })).toBe('<no value> map[x:<nil>]');
  });

  it('follows missingkey: <no value>, the zero value of the map, or an error', () => {
    expect(r('{{ .nope }}|{{ .a.b }}', { a: {} })).toBe('<no value>|<no value>');
    expect(r('{{ .nope }}', {}, 'zero')).toBe('<no value>');
    expect(() => r('{{ .nope }}', {}, 'error')).toThrow(new GoTemplateError('map has no entry for key "nope"'));
    expect(() => r('{{ .n.x }}', { n: null })).toThrow(new GoTemplateError('nil pointer evaluating interface {}.x'));
    // index never errors on a missing key: the element type's zero value (nil prints as <no value>)
    expect(r('[{{ index .m "x" }}]', { m: {} }, 'error')).toBe('[<no value>]');
  });

  it('gives sprig\'s answers on non-strings and edge cases', () => {
    expect(r('{{ quote 1.5 }} {{ .m | quote }} [{{ quote .nope }}] {{ quote "a\\nb" }} {{ squote 1e6 }}', { m: { a: 1 } })).toBe('"1.5" "map[a:1]" [] "a\\nb" \'1e+06\'');
    expect(r('{{ len (splitList "," "") }} {{ splitList "," "a,b" }}')).toBe('1 [a b]');
    expect(r('{{ default "x" .nope }} {{ .v | default "y" }} {{ empty 0.0 }} {{ join "-" .l }}', { v: '', l: ['a', 1, null] })).toBe('x y true a-1');
    expect(r('{{ "ab" | b64enc }} {{ b64dec "YWI=" }} {{ upper "abc" }} {{ trimPrefix "a" "abc" }} {{ replace "a" "b" "aa" }}')).toBe('YWI= ab ABC bc bb');
    expect(r('{{ normalize "Production_01/West." }} {{ indent 2 "a\\nb" }}')).toBe('production-01-west   a\n  b');
    expect(r('{{ toJson . }}', { z: [1e21, 1e-7, -0, null], a: '<&>\u2028"' })).toBe('{"a":"\\u003c\\u0026\\u003e\\u2028\\"","z":[1e+21,1e-7,-0,null]}');
    expect(r('{{ dict "b" 1 "a" | toJson }} {{ trunc 3 "abcdef" }} {{ trunc -2 "abcdef" }} {{ sha256sum "" }}'))
      .toBe('{"a":"","b":1} abc ef e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(() => r('{{ .n | b64enc }}', { n: 3 })).toThrow(new GoTemplateError('wrong type for value; expected string; got float64'));
    expect(() => r('{{ .nope | b64enc }}')).toThrow(new GoTemplateError('invalid value; expected string'));
    expect(() => r('{{ eq .n 3 }}', { n: 3 })).toThrow(new GoTemplateError('error calling eq: incompatible types for comparison'));
    expect(r('{{ eq .n 3.0 }} {{ lt "a" "b" }} {{ and 1 0 }} {{ or 0 "" "z" }} {{ not .l }}', { n: 3, l: [] })).toBe('true true 0 z true');
    // builtins receive a missing value as Go's invalid reflect.Value
    expect(r('{{ not .nope }} {{ eq .nope "x" }} {{ and .nope 1 }} {{ or .nope "y" }}')).toBe('true false <no value> y');
    expect(() => r('{{ index .nope "a" }}')).toThrow(new GoTemplateError('error calling index: index of untyped nil'));
    expect(() => r('{{ lt .nope 1 }}')).toThrow(new GoTemplateError('error calling lt: invalid type for comparison'));
  });

  it('trims, comments and variables as Go does', () => {
    expect(r('a {{- /* c */ -}} b {{- 1 -}} c')).toBe('ab1c');
    expect(r('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }} {{ $.a }}', { a: 'A' })).toBe('2 A');
    expect(r('{{-3}}')).toBe('-3');
  });

  it('refuses what it does not model, naming it, and rejects what Argo CD rejects', () => {
    expect(() => r('{{ printf "%s" .a }}')).toThrow(new GoTemplateError('the template function "printf" is not modelled by the offline expansion'));
    expect(() => r('{{ define "x" }}{{ end }}')).toThrow(new GoTemplateError('the template action "define" is not modelled by the offline expansion'));
    expect(() => r('{{ range .l }}{{ break }}{{ end }}', { l: [1] })).toThrow(new GoTemplateError('the template action "break" is not modelled by the offline expansion'));
    expect(() => r('{{ 0x10 }}')).toThrow(new GoTemplateError('the number literal 0x10 is not modelled (only decimal numbers are)'));
    expect(() => r('{{ env "HOME" }}')).toThrow(new GoTemplateError('function "env" not defined (Argo CD removes it from sprig)'));
    expect(() => r('{{ getHostByName "x" }}')).toThrow('function "getHostByName" not defined');
    expect(() => r('{{ toYaml .x }}', { x: 'yes' })).toThrow(new GoTemplateError('toYaml of the string "yes" (it would need quoting) is not modelled'));
    expect(() => r('{{ if .a }}x')).toThrow(new GoTemplateError('unexpected EOF: the template ends before {{end}}'));
  });
});

describe('expandApplicationSet: the Application Argo CD builds', () => {
  const set = (spec: Record<string, unknown>) => ({ metadata: { name: 's', namespace: 'argocd' }, spec: { goTemplate: true, generators: [{ list: { elements: [{ n: 'a' }] } }], ...spec } });

  it('takes the ApplicationSet\'s namespace, adds the resources finalizer, keeps the project against templatePatch', () => {
    const [app] = expandApplicationSet(set({
      template: { metadata: { name: '{{ .n }}', namespace: 'elsewhere' }, spec: { project: 'p', destination: { name: 'x' } } },
      templatePatch: 'spec:\n  project: other\n  destination:\n    namespace: "{{ .n }}"\n',
    }), []);
    expect(app.metadata).toEqual({ name: 'a', namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'] });
    expect(app.spec).toEqual({ project: 'p', destination: { name: 'x', namespace: 'a' } });
  });

  it('merges a templatePatch\'s finalizers into the Application\'s, as Kubernetes\' strategic merge patch does (ObjectMeta.finalizers: patchStrategy merge)', () => {
    const finalizers = (patch: string, template: Record<string, unknown> = {}) => expandApplicationSet(set({
      template: { metadata: { name: '{{ .n }}', ...template }, spec: { project: 'p' } }, templatePatch: patch,
    }), [])[0].metadata.finalizers;
    const F = 'resources-finalizer.argocd.argoproj.io';
    // an empty list drops nothing: the resources finalizer stays (Argo CD deletes what the Application deployed)
    expect(finalizers('metadata:\n  finalizers: []\n')).toEqual([F]);
    // a new finalizer comes first (apimachinery's normalizeElementOrder), the template's stays
    expect(finalizers(`metadata:\n  finalizers: [${F}/background]\n`)).toEqual([`${F}/background`, F]);
    // one already there keeps its place, with no repeat
    expect(finalizers(`metadata:\n  finalizers: [${F}, x]\n`)).toEqual([F, 'x']);
    expect(finalizers('metadata:\n  finalizers: [c, a]\n', { finalizers: ['a', 'b'] })).toEqual(['c', 'a', 'b']);
    // null removes the field, as in both patch kinds
    expect(finalizers('metadata:\n  finalizers: null\n')).toBeUndefined();
  });

  it('refuses a templatePatch whose values Argo CD cannot decode into an Application (it fails the ApplicationSet; no Application gets the value)', () => {
    const template = { metadata: { name: '{{ .n }}' }, spec: { project: 'p', source: { repoURL: 'https://charts.example.dev', chart: 'c', targetRevision: '1.0.0' } } };
    const patched = (patch: string, elements: Record<string, unknown>[] = [{ n: 'a', v: '1.10' }]) => () => expandApplicationSet(set({ template, templatePatch: patch, generators: [{ list: { elements } }] }), []);
    // "1.10" rendered unquoted is the number 1.1 to YAML: Argo CD refuses it where a chart version (a string) goes
    expect(patched('spec:\n  source:\n    targetRevision: {{ .v }}\n')).toThrow(/invalid templatePatch .*json: cannot unmarshal number into Go struct field Application\.spec\.source\.targetRevision of type string/);
    // YAML 1.1: yes is a boolean
    expect(patched('spec:\n  source:\n    path: yes\n')).toThrow(/cannot unmarshal bool into Go struct field Application\.spec\.source\.path of type string/);
    expect(patched('metadata:\n  labels:\n    tier: 1\n')).toThrow(/cannot unmarshal number into Go struct field Application\.metadata\.labels of type string/);
    expect(patched('spec:\n  syncPolicy:\n    automated:\n      prune: "true"\n')).toThrow(/cannot unmarshal string into Go struct field Application\.spec\.syncPolicy\.automated\.prune of type bool/);
    expect(patched('spec:\n  sources:\n  - repoURL: x\n    helm:\n      valueFiles: [1]\n')).toThrow(/cannot unmarshal number into Go struct field Application\.spec\.sources\.helm\.valueFiles of type string/);
    // quoted, or anything under valuesObject (free-form), decodes
    expect(patched('spec:\n  source:\n    targetRevision: "{{ .v }}"\n    helm:\n      valuesObject:\n        replicas: 2\n        enabled: yes\n')()[0].spec.source.targetRevision).toBe('1.10');
  });

  it('rejects what Argo CD rejects', () => {
    const template = { metadata: { name: '{{ .n }}' }, spec: { project: 'p' } };
    expect(() => expandApplicationSet(set({ template, templatePatch: '- a' }), []))
      .toThrow('ApplicationSet s: invalid templatePatch "- a": json: cannot unmarshal array into Go value of type v1alpha1.Application');
    expect(() => expandApplicationSet(set({ template, goTemplateOptions: ['missingkey=nope'] }), []))
      .toThrow('unrecognized goTemplateOptions option "missingkey=nope" (text/template knows missingkey=default|invalid|zero|error)');
    expect(() => expandApplicationSet(set({ template, generators: [{ clusters: { selector: { matchExpressions: [{ key: 'a', operator: 'In' }] } } }] }), []))
      .toThrow('ApplicationSet s: clusters.selector: error converting label selector: values: Invalid value: []string{}: for \'in\', \'notin\' operators, values set can\'t be empty');
    expect(() => expandApplicationSet(set({ template, generators: [{ clusters: { selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } } }] }), []))
      .toThrow('values set must be empty for exists and does not exist');
    expect(() => expandApplicationSet(set({ template, generators: [{ clusters: { values: { n: 1 } } }] }), []))
      .toThrow('ApplicationSet s: clusters.values.n is 1: Argo CD accepts strings only (values is map[string]string)');
  });
});
