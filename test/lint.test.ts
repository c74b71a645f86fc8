import * as path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '..') });

async function ruleIds(code: string, filePath = 'src/terraform/example.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('the lint rule that keeps provider package roots out', () => {
  it.each([
    "import * as aws from '@cdktf/provider-aws';",
    "import { EksCluster } from '@cdktf/provider-aws/lib';",
    "import { provider } from '@cdktf/provider-azurerm/lib/index';",
    "export { Release } from '@cdktf/provider-helm';",
  ])('rejects %s', async (code) => {
    expect(await ruleIds(code)).toEqual(['no-restricted-imports']);
  });

  it('accepts submodule imports', async () => {
    expect(await ruleIds("import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';\nimport { Release } from '@cdktf/provider-helm/lib/release';\nexport { EksCluster, Release };")).toEqual([]);
  });
});

describe('the lint rule that keeps cdktf inside src/terraform/', () => {
  it.each([
    "import { TerraformStack } from 'cdktf';",
    "import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';",
    "import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';",
  ])('rejects %s outside src/terraform/', async (code) => {
    expect(await ruleIds(code, 'src/cluster/example.ts')).toEqual(['no-restricted-imports']);
  });

  it('accepts it inside src/terraform/, and the re-export elsewhere', async () => {
    expect(await ruleIds("import { TerraformStack } from 'cdktf';\nimport { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';\nexport { TerraformStack, EksCluster };", 'src/terraform/example.ts')).toEqual([]);
    expect(await ruleIds("import { TerraformStack } from '../terraform/cdktf';\nexport { TerraformStack };", 'src/cluster/example.ts')).toEqual([]);
  });

  it('still rejects a provider package root inside src/terraform/', async () => {
    expect(await ruleIds("import * as aws from '@cdktf/provider-aws';", 'src/terraform/example.ts')).toEqual(['no-restricted-imports']);
  });
});
