// The test command's global setup: every temporary folder the tests (and the tools they run:
// npm, helm, terraform) make goes into one folder of this run, removed when the run ends, so a
// run leaves nothing behind in the system's temporary folder, even when a test forgets to tidy up.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitops-platform-tests-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(root, { recursive: true, force: true });
  };
}
