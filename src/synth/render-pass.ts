import { IConstruct } from 'constructs';
import { messages, PlatformValidationError, Problem } from '../core/errors';
import { applicationNameClashes } from '../argocd/application-names';
import { checkOutputPermissions } from '../argocd/output-permissions';
import { describeDenial } from '../argocd/permissions';
import { PlatformGraph } from '../graph/platform-graph';
import { checkOutput, PolicySeverities, severityOf } from '../policy/policy-pass';
import { PolicySeverity, SecurityRule } from '../policy/security-rule';
import type { TextScan } from '../policy/text-scan';
import { renderStage } from '../render';
import { reportRenderer } from '../report/renderer';
import { prepareStacks, stackJson } from '../terraform/cdktf';
import type { Platform } from '../platform';
import { chartObjects } from './serialize';
import { YamlEmitter } from './yaml-thread';
import type { FileSink } from './writer';

/**
 * The stages after the rules, as one pass over a valid platform: render (fresh charts and
 * stacks), the files (the constructs' own files, each cluster's folder and state), the report,
 * then the policy pass and the AppProject permission check over the files. Appends their
 * warnings to `warnings`; throws a {@link PlatformValidationError} listing every problem of the
 * first stage that finds errors. Returns output-relative path -> content, in sorted order.
 * `rendered` runs between the render stage and the reading of the tree.
 */
export function renderOutput(platform: Platform, graph: PlatformGraph, warnings: Problem[], policies: PolicySeverities, rendered: () => void, sink?: FileSink): Map<string, string> {
  const where = platform.node.path || 'platform';
  // every render starts from the declaration: each render function replaces what it rendered last time
  renderStage(graph);
  rendered();
  const files = new Map<string, string>();
  const sources = new Map<string, string>();
  const dup: Problem[] = [];
  const claim = (file: string, source: string): boolean => {
    if (files.has(file)) {
      dup.push({ path: source, message: messages.duplicateOutputPath(file, [sources.get(file)!, source]) });
      return false;
    }
    sources.set(file, source);
    return true;
  };
  const put = (file: string, content: string, source: string) => {
    if (!claim(file, source)) return;
    files.set(file, content);
    // a first write stages each file as soon as it is rendered (Platform.synth)
    sink?.(file, content);
  };
  // the objects of the files the render still holds, so the checks need not parse them back
  const parsed = new Map<string, unknown>();
  // a large output's YAML is emitted on another thread while the render goes on; the file keeps
  // its place in `files` (the order the checks see) and gets its text when it comes back
  const yaml = new YamlEmitter();
  // the credential scans the YAML thread makes of its texts while this thread runs the report and the other checks
  const scans = new Map<string, () => TextScan | undefined>();
  const putObject = (file: string, object: unknown, source: string) => {
    if (!claim(file, source)) return;
    parsed.set(file, object);
    files.set(file, '');
    yaml.emit(object, (text, scan) => {
      files.set(file, text);
      if (scan) scans.set(file, scan);
      sink?.(file, text);
    });
  };
  try {
    for (const c of graph.declaredInTreeOrder) {
      if (hasFileObjects(c)) {
        for (const [f, o] of c._fileObjects()) putObject(f, o, c.node.path);
      } else if (hasFiles(c)) for (const [f, content] of c._files()) put(f, content, c.node.path);
    }
    // every state is prepared before any is serialized: a state another one reads gains outputs then
    prepareStacks(graph.clusters.map((c) => c.stack));
    for (const cluster of graph.clusters) {
      for (const o of chartObjects(cluster.chart)) putObject(`clusters/${cluster.name}/${o.file}`, o.json, o.path);
      put(`terraform/${cluster.name}/cdk.tf.json`, stackJson(cluster.stack), cluster.node.path);
    }
    yaml.drain(dup.length === 0 && severityOf(policies, SecurityRule.NO_CREDENTIALS) !== PolicySeverity.OFF);
    for (const [f, content] of reportRenderer()(platform, files, warnings, parsed)) put(f, content, where);
    if (dup.length > 0) throw new PlatformValidationError(dup);
    const checked = checkOutput(files, (f) => sources.get(f) ?? where, policies, parsed, scans);
    const errors = checked.filter((p) => p.severity !== 'warning');
    if (errors.length > 0) throw new PlatformValidationError(errors);
    warnings.push(...checked);
  } finally {
    yaml.cancel();
  }
  // what Argo CD's controller would refuse at sync: every Application against its AppProject
  const permissions = checkOutputPermissions(files, { parsed });
  if (permissions.skipped) warnings.push({ path: where, message: messages.output.permissionsNotChecked(permissions.skipped), severity: 'warning' });
  // Argo CD keeps one Application per name and namespace of a management cluster
  const clashes: Problem[] = applicationNameClashes(permissions.applications ?? []).map((c) => ({
    path: sources.get(c.origins[c.origins.length - 1].file) ?? where,
    message: messages.output.applicationNameClash(c.name, c.namespace, c.management,
      c.origins.map((o) => (o.applicationSet !== undefined ? `generated by ApplicationSet ${JSON.stringify(o.applicationSet)} (${o.file})` : `the Application in ${o.file}`))),
  }));
  const refused = [...clashes, ...permissions.denials.map((d) => ({ path: sources.get(d.file) ?? where, message: messages.notPermittedByProject(describeDenial(d)) }))];
  if (refused.length > 0) throw new PlatformValidationError(refused);
  // the default sort compares code units, as `<` does, without a call per comparison
  const sorted = new Map<string, string>();
  for (const f of [...files.keys()].sort()) sorted.set(f, files.get(f)!);
  return sorted;
}

function hasFiles(c: IConstruct): c is IConstruct & { _files(): Map<string, string> } {
  return typeof (c as { _files?: unknown })._files === 'function';
}

function hasFileObjects(c: IConstruct): c is IConstruct & { _fileObjects(): Map<string, unknown> } {
  return typeof (c as { _fileObjects?: unknown })._fileObjects === 'function';
}
