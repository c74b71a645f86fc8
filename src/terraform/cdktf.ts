/**
 * The only door to the Terraform CDK outside this folder: the rest of the library
 * imports its Terraform types from here, so moving from cdktf (archived upstream) to
 * its community continuation cdktn changes this folder only (see docs/upgrading.md).
 */
import { TerraformStack } from 'cdktf';

export { App as TerraformApp, TerraformStack } from 'cdktf';

/** Serializes a Terraform stack to `cdk.tf.json` content (aspects, preparation and validations included). */
export function serializeStack(stack: TerraformStack): string {
  const { invokeAspects } = require('cdktf/lib/synthesize/synthesizer') as { invokeAspects: (s: TerraformStack) => void };
  invokeAspects(stack);
  stack.prepareStack();
  stack.runAllValidations();
  return JSON.stringify(stack.toTerraform(), null, 2) + '\n';
}
