// The provider packages are huge: importing a package root costs 5-6 s and ~900 MB per
// process. Only submodules (`@cdktf/provider-aws/lib/eks-cluster`) may be imported.
import tseslint from 'typescript-eslint';

export const providerRootRule = ['error', {
  patterns: [{
    regex: '^@cdktf/provider-[a-z0-9-]+(/lib(/index(\\.js)?)?)?/?$',
    message: 'Import a provider submodule instead (e.g. @cdktf/provider-aws/lib/eks-cluster): a provider package root loads every resource (seconds and ~900 MB).',
  }],
}];

// Terraform code lives in src/terraform/ only, so a move from cdktf to its community
// continuation (cdktn) is one folder's change (docs/upgrading.md).
const terraformOutsideItsFolder = {
  regex: '^(cdktf|cdktn)(/.*)?$|^@(cdktf|cdktn)/',
  message: 'Import Terraform types from src/terraform/ (cdktf.ts re-exports them): the rest of the library stays free of cdktf, so moving to cdktn touches one folder.',
};

export default [
  { ignores: ['lib/**', 'dist/**', 'examples/*/dist/**', 'docs/**', 'node_modules/**', '.vitest/**'] },
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-imports': providerRootRule,
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/terraform/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...providerRootRule[1].patterns, terraformOutsideItsFolder] }] },
  },
  // tests read parsed YAML and JSON freely
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
];
