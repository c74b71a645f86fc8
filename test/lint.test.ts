import * as path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '..') });

async function ruleIds(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: 'src/example.ts' });
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
