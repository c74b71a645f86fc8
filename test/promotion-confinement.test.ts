import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePin, PinFileError, promote, PromotionError, readPin } from '../src';
import { runCli } from './support/cli';
import { pinsRepo } from './support/pins';

// `promote` reads and writes pin files under services/ only: the environments are the
// platform's (platform.json), so --from/--to cannot name a path; a symbolic link is never
// followed, and the temporary file is created exclusively. Pin files are bounded: a link, an
// oversize file or deep nesting is the library's error, and errors quote little.

const SHA = (c: string) => c.repeat(40);
const pin = (cluster: string, tag: string, rev: string) => ({ cluster, imageTag: tag, targetRevision: rev });
const ENVS = ['dev', 'staging', 'prod'];
const SECRET = '{"auths":{"registry.acme.dev":{"auth":"c2VjcmV0LXRva2VuLXZhbHVl"}}}';

function repo(): string {
  return pinsRepo({
    'dist/platform.json': { environments: ENVS, clusters: [], repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main', path: 'dist' } },
    'services/team-a/checkout/staging.json': pin('vc-team-a-staging', '1.5.0-bbbbbbb', SHA('b')),
    'services/team-a/checkout/prod.json': pin('vc-team-a-prod', '1.4.2-aaaaaaa', SHA('a')),
  });
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
}

/** A platform repository with a working folder three levels down and a pin file outside services/ that promote must never touch. */
function victimRepo(): { root: string; work: string; victim: string; before: string } {
  const root = repo();
  const work = path.join(root, 'a', 'b', 'c');
  mkdirSync(work, { recursive: true });
  const victim = path.join(root, 'victim.json');
  writeFileSync(victim, JSON.stringify(pin('vc-x', '9.9.9-ccccccc', SHA('c'))));
  return { root, work, victim, before: readFileSync(victim, 'utf8') };
}

describe('promote stays inside services/', () => {
  it('takes the environments from platform.json: --to and --from naming a path are refused, and nothing outside is read or written', async () => {
    const { root, work, victim, before } = victimRepo();
    const to = await runCli(['promote', 'team-a/checkout', '--from', 'staging', '--to', '../../../victim', '--dir', root], work);
    expect(to).toEqual({ code: 1, out: '', err: 'error: --to: got "../../../victim". Allowed: the platform\'s environments dev, staging, prod. Fix: use one of them.\n' });
    expect(readFileSync(victim, 'utf8')).toBe(before);
    const from = await runCli(['promote', 'team-a/checkout', '--from', '../../../victim', '--to', 'prod', '--dir', root], work);
    expect(from.err).toBe('error: --from: got "../../../victim". Allowed: the platform\'s environments dev, staging, prod. Fix: use one of them.\n');
    expect(JSON.parse(readFileSync(path.join(root, 'services/team-a/checkout/prod.json'), 'utf8')).imageTag).toBe('1.4.2-aaaaaaa');
  });

  it('needs platform.json and says how to get it, in one line', async () => {
    const root = pinsRepo({ 'services/team-a/checkout/prod.json': pin('vc-team-a-prod', '1.4.2-aaaaaaa', SHA('a')) });
    const r = await runCli(['promote', 'team-a/checkout', '--from', 'staging', '--to', 'prod', '--dir', root]);
    expect(r.err).toBe(`error: no platform.json at "${path.join(root, 'dist', 'platform.json')}". Fix: synthesize the platform first, or pass --platform <path to platform.json>.\n`);
    writeFileSync(path.join(root, 'platform.json'), '');
    const empty = await runCli(['promote', 'team-a/checkout', '--from', 'staging', '--to', 'prod', '--dir', root, '--platform', 'platform.json'], root);
    expect(empty.err).toBe('error: platform.json is empty. Fix: synthesize the platform again (npx cdk8s synth) so the library rewrites it.\n');
  });

  it('writes through a new temporary file created exclusively: a symbolic link at a temporary name is never written through', () => {
    const root = repo();
    const victim = path.join(root, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    const folder = path.join(root, 'services/team-a/checkout');
    symlinkSync(victim, path.join(folder, 'prod.json.promote-tmp'));
    promote({ root, service: 'team-a/checkout', from: 'staging', to: 'prod', environments: ENVS });
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(JSON.parse(readFileSync(path.join(folder, 'prod.json'), 'utf8')).imageTag).toBe('1.5.0-bbbbbbb');
    expect(readdirSync(folder).sort()).toEqual(['prod.json', 'prod.json.promote-tmp', 'staging.json']);
  });

  it('refuses a pin file that is a symbolic link, and a team folder that leads outside services/, without quoting what they point to', () => {
    const root = repo();
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    writeFileSync(path.join(outside, 'config.json'), SECRET);
    const staging = path.join(root, 'services/team-a/checkout/staging.json');
    writeFileSync(staging, '');
    const link = path.join(root, 'services/team-a/checkout/dev.json');
    symlinkSync(path.join(outside, 'config.json'), link);
    const e = thrown(() => promote({ root, service: 'team-a/checkout', from: 'dev', to: 'staging', environments: ENVS }));
    expect(e).toBeInstanceOf(PromotionError);
    expect(e.message).toBe('services/team-a/checkout/dev.json: a symbolic link. Allowed: a regular file in the repository. Fix: replace the link with the pin file itself.');
    mkdirSync(path.join(outside, 'svc'));
    writeFileSync(path.join(outside, 'svc', 'prod.json'), SECRET);
    symlinkSync(outside, path.join(root, 'services', 'team-b'));
    const t = thrown(() => readPin(root, 'team-b', 'svc', 'prod'));
    expect(t).toBeInstanceOf(PinFileError);
    expect(t.message).toBe('services/team-b/svc/prod.json: outside services/ (a folder on its path is a symbolic link that leads elsewhere). Allowed: real folders under services/. Fix: replace the link with the folder it points to.');
    expect(t.message).not.toContain('c2VjcmV0');
  });
});

describe('--force (going back on purpose) skips the order check only, never the confinement', () => {
  it('--to and --from naming a path, a pin that is a link and a link at the temporary name are refused or never followed with --force too', async () => {
    const { root, work, victim, before } = victimRepo();
    for (const args of [['--from', 'prod', '--to', '../../../victim'], ['--from', '../../../victim', '--to', 'staging']]) {
      const r = await runCli(['promote', 'team-a/checkout', ...args, '--dir', root, '--force'], work);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`error: ${args[3] === '../../../victim' ? '--to' : '--from'}: got "../../../victim". Allowed: the platform's environments dev, staging, prod. Fix: use one of them.\n`);
    }
    expect(readFileSync(victim, 'utf8')).toBe(before);
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    writeFileSync(path.join(outside, 'config.json'), SECRET);
    symlinkSync(path.join(outside, 'config.json'), path.join(root, 'services/team-a/checkout/dev.json'));
    const link = thrown(() => promote({ root, service: 'team-a/checkout', from: 'prod', to: 'dev', environments: ENVS, force: true }));
    expect(link.message).toBe('services/team-a/checkout/dev.json: a symbolic link. Allowed: a regular file in the repository. Fix: replace the link with the pin file itself.');
    expect(readFileSync(path.join(outside, 'config.json'), 'utf8')).toBe(SECRET);
    const folder = path.join(root, 'services/team-a/checkout');
    symlinkSync(victim, path.join(folder, 'staging.json.promote-tmp'));
    expect(promote({ root, service: 'team-a/checkout', from: 'prod', to: 'staging', environments: ENVS, force: true }).changed).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(path.join(folder, 'staging.json'), 'utf8')).imageTag).toBe('1.4.2-aaaaaaa');
  });
});

describe('pin files are bounded', () => {
  it('refuses an oversize file unread, and cuts a huge unknown field in the message', () => {
    const root = pinsRepo({ 'services/team-a/checkout/prod.json': { ...pin('vc-team-a-prod', '1.4.2-aaaaaaa', SHA('a')), notes: 'x'.repeat(100_000) } });
    expect(() => readPin(root, 'team-a', 'checkout', 'prod')).toThrow(/^services\/team-a\/checkout\/prod\.json: 100\d{3} bytes\. Allowed: at most 4096 bytes/);
    const e = thrown(() => parsePin('p.json', JSON.stringify({ notes: 'x'.repeat(100_000) })));
    expect(e).toBeInstanceOf(PinFileError);
    expect(e.message.length).toBeLessThan(600);
    expect(e.message).toContain('(100002 characters)');
  });

  it('reports deeply nested JSON with the library\'s error, not a RangeError', () => {
    const deep = `{"cluster": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const e = thrown(() => parsePin('p.json', deep));
    expect(e).toBeInstanceOf(PinFileError);
    expect(e.message).toMatch(/^p\.json: cluster: got \[\[\[\[\[\[\[\[\[\.\.\.\]\]\]\]\]\]\]\]\]\. Allowed: the Argo CD cluster name/);
  });
});
