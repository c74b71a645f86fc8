// Prints the closing line CI reads, `N passed, N failed`, from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest/results.json';
if (!existsSync(file)) {
  console.error(`no test report at ${file}: the test command stopped before the tests ran (see the lint output above)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
// a test file that fails to load has no failed test of its own: count it as one
const failed = Math.max(report.numFailedTests ?? 0, report.numFailedTestSuites ?? 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
