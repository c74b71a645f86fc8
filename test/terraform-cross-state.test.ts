import { describe, expect, it } from 'vitest';
import { TerraformOutput, TerraformResource } from 'cdktf';
import { FleetCluster, ManagementCluster } from '../src';
import { mixedPlatform } from './support/platforms';

// A value one cluster's Terraform state reads from another's, through the `stack` escape hatch:
// cdktf turns it into an output of the state read from and a remote state of the reader, both
// added while the states are prepared. Every state must be prepared before any is serialized.
describe('a value one cluster\'s state reads from another cluster\'s state', () => {
  it.each([
    ['a fleet cluster reads its management cluster\'s resource (the state read from is serialized first)', 'cockpit-aks', 'eks-of-aks'],
    ['a management cluster reads its fleet cluster\'s resource (the state read from is serialized last)', 'eks-of-eks', 'cockpit-eks'],
  ])('%s: the state read from holds the output the reader names', (_, fromName, toName) => {
    const platform = mixedPlatform();
    const cluster = (name: string) => platform.node.findAll().find((c): c is ManagementCluster | FleetCluster =>
      (c instanceof ManagementCluster || c instanceof FleetCluster) && c.name === name)!;
    const resource = cluster(fromName).stack.node.findAll().find((c): c is TerraformResource => c instanceof TerraformResource)!;
    new TerraformOutput(cluster(toName).stack, 'read-across', { value: resource.getStringAttribute('id') });
    const files = platform.render();
    const reader = JSON.parse(files.get(`terraform/${toName}/cdk.tf.json`)!);
    const origin = JSON.parse(files.get(`terraform/${fromName}/cdk.tf.json`)!);
    const ref = /^\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.([^}]+)\}$/.exec(reader.output['read-across'].value);
    expect(ref, reader.output['read-across'].value).not.toBeNull();
    expect(Object.keys(reader.data.terraform_remote_state)).toContain(ref![1]);
    expect(Object.keys(origin.output)).toContain(ref![2]);
    expect(origin.output[ref![2]].value).toBe(`\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.id}`);
    // a second pass adds nothing more: the reference's output and remote state are made once. (The
    // remote state, made by cdktf on the first pass, then comes before the data sources the library
    // makes afresh on every pass: same JSON, other key order.)
    const again = platform.render();
    expect([...again.keys()]).toEqual([...files.keys()]);
    for (const [f, text] of files) {
      if (f.endsWith('.json')) expect(JSON.parse(again.get(f)!), f).toEqual(JSON.parse(text));
      else expect(again.get(f), f).toBe(text);
    }
  });
});
