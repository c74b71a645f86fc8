// The test command's global setup: every temporary folder the tests (and the tools they run:
// npm, helm, terraform) make goes into one folder of this run, removed when the run ends, so a
// run leaves nothing behind in the system's temporary folder, even when a test forgets to tidy up;
// the synth cache of the outputs they write is kept there too.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const previousCache = process.env.CDK8S_GITOPS_PLATFORM_CACHE;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-gitops-platform-tests-'));
  process.env.TMPDIR = root;
  // the synth cache of every output the tests write goes there too, not into node_modules/.cache
  process.env.CDK8S_GITOPS_PLATFORM_CACHE = path.join(root, 'synth-cache');
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (previousCache === undefined) delete process.env.CDK8S_GITOPS_PLATFORM_CACHE;
    else process.env.CDK8S_GITOPS_PLATFORM_CACHE = previousCache;
    fs.rmSync(root, { recursive: true, force: true });
  };
}
