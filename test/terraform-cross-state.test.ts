import { describe, expect, it } from 'vitest';
import { crossStatePlatform, mixedPlatform, renderStarter } from './support/platforms';
import { teamServicesPlatform } from './support/rendered-platforms';

/** Terraform JSON. */
type Json = Record<string, any>;

/**
 * What one rendered state reads from another that is not there: each `terraform_remote_state`
 * must point (same backend type, its config a part of the backend's) at a state of the output,
 * and each output read through it must be an output of that state.
 */
function crossStateProblems(files: ReadonlyMap<string, string>): string[] {
  const states = [...files].filter(([f]) => f.endsWith('/cdk.tf.json')).map(([f, text]) => ({ file: f, tf: JSON.parse(text) as Json }));
  const problems: string[] = [];
  for (const { file, tf } of states) {
    const remotes = (tf.data?.terraform_remote_state ?? {}) as Json;
    for (const m of JSON.stringify(tf).matchAll(/data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      const remote = remotes[m[1]];
      if (!remote) {
        problems.push(`${file} reads ${m[1]}, which it does not declare`);
        continue;
      }
      const target = states.find((s) => Object.entries(s.tf.terraform?.backend ?? {}).some(([type, config]) =>
        type === remote.backend && Object.entries(remote.config as Json).every(([k, v]) => (config as Json)[k] === v)));
      if (!target) problems.push(`${file} reads ${m[1]} (${JSON.stringify(remote.config)}), which is no state of the output`);
      else if (!(m[2] in (target.tf.output ?? {}))) problems.push(`${file} reads output ${m[2]} of ${target.file}, which has no such output`);
    }
  }
  return problems;
}

// A value one cluster's Terraform state reads from another's, through the `stack` escape hatch:
// cdktf turns it into an output of the state read from and a remote state of the reader, both
// added while the states are prepared. Every state must be prepared before any is serialized.
describe('a value one cluster\'s state reads from another cluster\'s state', () => {
  it.each([
    ['a fleet cluster reads its management cluster\'s resource (the state read from is serialized first)', 'cockpit-aks', 'eks-of-aks'],
    ['a management cluster reads its fleet cluster\'s resource (the state read from is serialized last)', 'eks-of-eks', 'cockpit-eks'],
  ])('%s: the state read from holds the output the reader names', (_, fromName, toName) => {
    const { platform, resource } = crossStatePlatform(fromName, toName);
    const files = platform.render();
    const reader = JSON.parse(files.get(`terraform/${toName}/cdk.tf.json`)!);
    const origin = JSON.parse(files.get(`terraform/${fromName}/cdk.tf.json`)!);
    const ref = /^\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.([^}]+)\}$/.exec(reader.output['read-across'].value);
    expect(ref, reader.output['read-across'].value).not.toBeNull();
    expect(Object.keys(reader.data.terraform_remote_state)).toContain(ref![1]);
    expect(Object.keys(origin.output)).toContain(ref![2]);
    expect(crossStateProblems(files)).toEqual([]);
    expect(origin.output[ref![2]].value).toBe(`\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.id}`);
    // a second pass adds nothing more: the reference's output and remote state are made anew,
    // after what the render stage makes afresh, so the bytes are the first pass's
    const again = platform.render();
    expect([...again.keys()]).toEqual([...files.keys()]);
    for (const [f, text] of files) expect(again.get(f), f).toBe(text);
  });
});

describe('what a rendered state reads from another state is there', () => {
  it.each([
    ['both cockpits and both fleet clouds', () => mixedPlatform().render()],
    ['team services', () => teamServicesPlatform().render()],
    ['the aws starter', () => renderStarter('aws')],
    ['the azure starter', () => renderStarter('azure')],
  ])('%s: every remote state is a state of the output, and every output read from it exists', async (_, render) => {
    const files = await render();
    const reads = [...files].filter(([f, t]) => f.endsWith('/cdk.tf.json') && t.includes('terraform_remote_state')).length;
    expect(reads, 'states that read another state').toBeGreaterThan(0);
    expect(crossStateProblems(files)).toEqual([]);
  });

  it('finds a state that reads an output its source does not have', () => {
    const files = mixedPlatform().render();
    const file = [...files.keys()].find((f) => /^terraform\/cockpit-[a-z]+\/cdk\.tf\.json$/.test(f) && files.get(f)!.includes('egress_cidrs'))!;
    const tf = JSON.parse(files.get(file)!);
    delete tf.output.egress_cidrs;
    const broken = new Map(files).set(file, JSON.stringify(tf));
    expect(crossStateProblems(broken).length).toBeGreaterThan(0);
    expect(crossStateProblems(broken)[0]).toMatch(/reads output egress_cidrs of terraform\/cockpit-[a-z]+\/cdk\.tf\.json, which has no such output/);
  });
});
