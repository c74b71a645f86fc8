import { badValue, suggestDnsLabel } from './format';

/**
 * The messages of the prop checks every construct calls (`core/validate.ts`, `core/data.ts`):
 * `prop` is the prop as the message names it (`labels`, `values.a.b[2]`).
 */
export const propMessages = {
  // ---- the construct tree (scope, id, props)
  /** A scope that is not a construct; an object is named by its class (`a Platform`), never dumped. */
  scope: (value: unknown) => badValue('scope', typeof value === 'object' && value !== null ? `a ${value.constructor?.name ?? 'object'}` : value,
    'a construct of the platform (the Platform, a cluster or a tenant)', 'pass the Platform or a cluster as the first argument'),
  constructId: (value: unknown) => badValue('construct id', value, 'a non-empty string without "/"', 'give the construct an id such as "mgmt" or "team-a"'),
  constructIdTaken: (id: string, path: string, existingPath: string, existingKind: string) => badValue('construct id', id,
    `an id not yet used under ${path} (${existingPath} is a ${existingKind})`, 'give each construct its own id'),
  props: (value: unknown, example: string) => badValue('props', value, `an object of properties, e.g. ${example}`, 'pass the properties as the third argument'),
  // ---- data (values, manifests) and factories
  record: (prop: string, value: unknown, example: string) => badValue(prop, value, `an object such as ${example}`, `set ${prop} to an object (or leave it out)`),
  instance: (prop: string, value: unknown, factories: string) => badValue(prop, value, factories, `declare ${prop} with a factory (a plain object is not one)`),
  list: (prop: string, value: unknown, example: string) => badValue(prop, value, `a list such as ${example}`, `set ${prop} to a list`),
  dataNumber: (at: string, value: unknown) => badValue(at, value, 'a finite number (YAML has no NaN or Infinity a chart expects)', `set ${at} to a number`),
  /** A value that is not data; an object other than a Date is named by its class (`a Map`), never dumped. */
  dataKind: (at: string, value: unknown) => badValue(at,
    value instanceof Date ? value : typeof value === 'object' && value !== null ? `a ${value.constructor?.name ?? 'object'}` : value,
    'data: strings, finite numbers, booleans, null, lists and plain objects',
    !(value instanceof Date) ? `replace ${at} with plain data`
      : Number.isNaN(value.getTime()) ? 'write the date as a string' : `write the date as a string, e.g. ${JSON.stringify(value.toISOString())}`),
  dataCycle: (at: string) => badValue(at, 'a reference to an enclosing object (a cycle)', 'a tree of data without cycles', `copy the data instead of referring to ${at.split(/[.[]/)[0]} itself`),
  dataDepth: (at: string, max: number) => badValue(at, `data nested more than ${max} levels`, `at most ${max} levels of nesting`, 'flatten the values'),
  dataListHole: (at: string) => badValue(at, undefined, 'a value (a list cannot hold undefined)', `remove ${at} or set it`),
  // ---- Git and Argo CD
  gitRevision: (prop: string, value: unknown) => badValue(prop, value,
    'a branch, tag or commit git accepts (git check-ref-format): no spaces, "..", "~^:?*[\\{}", leading "-" or trailing "/", "." or ".lock"',
    `set ${prop} to the branch Argo CD tracks, e.g. "main"`),
  helmReleaseName: (prop: string, value: unknown) => badValue(prop, value,
    'a Helm release name: 1 to 53 characters of lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
    `shorten or rename it, e.g. ${JSON.stringify(suggestDnsLabel(value).slice(0, 53).replace(/-+$/, '') || 'my-release')}`),
  syncOptions: (prop: string, value: unknown) => badValue(prop, value, 'a list of sync options such as ["PruneLast=true"]', `set ${prop} to a list`),
  syncOption: (prop: string, value: unknown, options: Readonly<Record<string, readonly string[]>>) => badValue(prop, value,
    `one of ${Object.entries(options).map(([k, vs]) => `${k}=${vs.join('|')}`).join(', ')}`, 'use an Argo CD sync option as documented'),
  // ---- Kubernetes labels, annotations, ports, paths, kinds
  labels: (prop: string, value: unknown) => badValue(prop, value, 'an object of labels such as { team: "a" }', `set ${prop} to an object`),
  labelKey: (prop: string, key: string) => badValue(`${prop} key`, key, 'a Kubernetes label key ([prefix/]name, name up to 63 characters)', 'rename the label'),
  labelValue: (prop: string, key: string, value: unknown) => badValue(`${prop}["${key}"]`, value,
    'a Kubernetes label value (up to 63 characters of letters, digits, "-", "_" and ".")', 'quote numbers and booleans as strings and shorten the value'),
  annotations: (prop: string, value: unknown) => badValue(prop, value, 'an object of annotations', `set ${prop} to an object`),
  annotationKey: (prop: string, key: string) => badValue(`${prop} key`, key,
    'a Kubernetes annotation key ([prefix/]name: name up to 63 characters of letters, digits, "-", "_" and ".")', 'rename the annotation'),
  annotationValue: (prop: string, key: string, value: unknown) => badValue(`${prop}["${key}"]`, value, 'a string', 'quote the value'),
  annotationsSize: (prop: string, size: number) => badValue(prop, `${size} bytes`, 'at most 256 KiB of annotations (the API server\'s limit)', 'move the data into a ConfigMap'),
  port: (prop: string, value: unknown) => badValue(prop, value, 'a port number from 1 to 65535', `set ${prop} to the port`),
  httpPath: (prop: string, value: unknown) => badValue(prop, value, 'an absolute HTTP path such as "/healthz" (no spaces, query or fragment)', `set ${prop} to the path the container serves`),
  kind: (prop: string, value: unknown) => badValue(prop, value, 'a Kubernetes kind such as "ClusterIssuer"', 'use the kind as its CRD declares it'),
  apiVersion: (prop: string, value: unknown) => badValue(prop, value, 'a Kubernetes apiVersion such as "v1" or "cert-manager.io/v1"', 'use the group and version as the CRD declares them'),
  // ---- clouds
  azureLocation: (prop: string, value: unknown) => badValue(prop, value, 'an Azure location name such as "westeurope" or "eastus2" (lower case, no spaces)', 'use the name `az account list-locations` prints'),
  azureSovereignLocation: (prop: string, value: unknown) => badValue(prop, value, 'a location of the Azure public cloud: the platform signs in with Entra ID, reads Key Vault and registers clusters with the public cloud\'s endpoints, which Azure Government and Azure in China do not serve',
    'use a public cloud location, such as "westeurope" or "eastus2"'),
  awsRegion: (prop: string, value: unknown) => badValue(prop, value, 'an AWS region code such as "eu-west-1"', 'use the region code, not its display name'),
  cloudTags: (prop: string, value: unknown) => badValue(prop, value, 'an object of tags such as { "cost-center": "platform" }', `set ${prop} to an object`),
  cloudTagKey: (prop: string, key: string) => badValue(`${prop} key`, key,
    '1 to 128 letters, digits, spaces and "_ . : / = + - @", not starting with "aws:", "azure", "microsoft" or "windows"', 'rename the tag'),
  cloudTagValue: (prop: string, key: string, value: unknown) => badValue(`${prop}["${key}"]`, value, 'a string of up to 256 letters, digits, spaces and "_ . : / = + - @"', 'shorten the value or remove other characters'),
};

/**
 * The messages of the argument checks of the library's exported functions (`core/arguments.ts`):
 * `arg` names the argument, `example` what to pass.
 */
export const argumentMessages = {
  map: (arg: string, value: unknown, example: string) => badValue(arg, value, `a Map, e.g. ${example}`, `pass ${example}`),
  list: (arg: string, value: unknown, example: string) => badValue(arg, value, `a list, e.g. ${example}`, `pass ${example}`),
  string: (arg: string, value: unknown, example: string) => badValue(arg, value, `a string, e.g. ${example}`, `pass ${example}`),
  options: (arg: string, value: unknown) => badValue(arg, value, 'an object of options', 'pass the options as an object (or leave them out)'),
  object: (arg: string, value: unknown, example: string) => badValue(arg, value, `an object, e.g. ${example}`, `pass ${example}`),
};
