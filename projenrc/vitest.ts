import { Component, TextFile } from 'projen';
import { TypeScriptProject } from 'projen/lib/typescript';

export interface VitestOptions {
  /** Exact vitest version. */
  readonly version: string;
}

/**
 * vitest for a projen TypeScript project (projen only ships jest):
 * the dependency, `vitest.config.ts`, and the test task.
 * Snapshots are never updated by the test task (`--update=false` is vitest's default in CI
 * and we pass `--ci` semantics explicitly through the config).
 */
export class Vitest extends Component {
  constructor(project: TypeScriptProject, options: VitestOptions) {
    super(project);
    project.addDevDeps(`vitest@${options.version}`);
    new TextFile(project, 'vitest.config.mts', {
      lines: [
        `// ${TextFile.PROJEN_MARKER}. To modify, edit projenrc/vitest.ts and run "npx projen".`,
        "import { defineConfig } from 'vitest/config';",
        '',
        'export default defineConfig({',
        '  test: {',
        "    include: ['test/**/*.test.ts'],",
        "    pool: 'forks',",
        '    testTimeout: 120_000,',
        '    hookTimeout: 120_000,',
        // never write snapshots from the test command: missing ones fail
        '    update: false,',
        '  },',
        '});',
      ],
    });
    project.testTask.exec('vitest run --update=false --reporter=default --reporter=json --outputFile.json=.vitest/results.json');
    project.addTask('test:watch', { exec: 'vitest' });
  }
}
