/**
 * The only door to the Terraform CDK outside this folder: the rest of the library
 * imports its Terraform types from here, so moving from cdktf (archived upstream) to
 * its community continuation cdktn changes this folder only (see docs/upgrading.md).
 */
import { TerraformStack } from 'cdktf';

export { App as TerraformApp, TerraformStack } from 'cdktf';

/** Serializes a Terraform stack to `cdk.tf.json` content (aspects, preparation and validations included). */
export function serializeStack(stack: TerraformStack): string {
  prepareStacks([stack]);
  return stackJson(stack);
}

/**
 * Runs the aspects of Terraform stacks of one app and prepares them, before any of them is
 * serialized ({@link stackJson}), as cdktf's own synth does: preparing a stack that reads another
 * stack's value adds an output to that other stack (and a remote state to this one), so a stack
 * serialized before the stacks that read it would lack the outputs they name.
 */
export function prepareStacks(stacks: readonly TerraformStack[]): void {
  const { invokeAspects } = require('cdktf/lib/synthesize/synthesizer') as { invokeAspects: (s: TerraformStack) => void };
  for (const stack of stacks) {
    invokeAspects(stack);
    stack.prepareStack();
  }
}

/** A prepared stack's `cdk.tf.json` content (validations included). */
export function stackJson(stack: TerraformStack): string {
  stack.runAllValidations();
  return JSON.stringify(stack.toTerraform(), null, 2) + '\n';
}
