import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { promote, unifiedDiff } from '../src';
import { runCli } from './support/cli';
import { pinsRepo } from './support/pins';

const SHA = (c: string) => c.repeat(40);
const pin = (cluster: string, tag: string, rev: string) => ({ cluster, imageTag: tag, targetRevision: rev });
const ENVS = ['dev', 'staging', 'prod'];
const PLATFORM = { environments: ENVS, clusters: [], repository: { url: 'https://github.com/acme/platform-gitops.git', revision: 'main', path: 'dist' } };
const repo = (extra: Record<string, unknown> = { 'dist/platform.json': PLATFORM }) => pinsRepo({
  ...extra,
  'services/team-a/checkout/staging.json': pin('vc-team-a-staging', '1.5.0-bbbbbbb', SHA('b')),
  'services/team-a/checkout/prod.json': pin('vc-team-a-prod', '1.4.2-aaaaaaa', SHA('a')),
  'services/team-a/cart/prod.json': pin('vc-team-a-prod', '2.0.0-ccccccc', SHA('c')),
});

/** Every file under root with its content. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

describe('promote', () => {
  it('copies only the pin to the target environment, keeps its cluster, and changes exactly one file', () => {
    const root = repo();
    const before = snapshot(root);
    const r = promote({ root, service: 'team-a/checkout', from: 'staging', to: 'prod', environments: ENVS });
    const after = snapshot(root);
    expect([...after.keys()].filter((f) => after.get(f) !== before.get(f))).toEqual([path.join('services', 'team-a', 'checkout', 'prod.json')]);
    expect(JSON.parse(after.get(path.join('services', 'team-a', 'checkout', 'prod.json'))!)).toEqual(pin('vc-team-a-prod', '1.5.0-bbbbbbb', SHA('b')));
    expect(r).toMatchObject({ file: 'services/team-a/checkout/prod.json', changed: true });
    expect(r.diff).toBe([
      '--- a/services/team-a/checkout/prod.json',
      '+++ b/services/team-a/checkout/prod.json',
      '@@ -1,5 +1,5 @@',
      ' {',
      '   "cluster": "vc-team-a-prod",',
      '-  "imageTag": "1.4.2-aaaaaaa",',
      `-  "targetRevision": "${SHA('a')}"`,
      '+  "imageTag": "1.5.0-bbbbbbb",',
      `+  "targetRevision": "${SHA('b')}"`,
      ' }',
      '',
    ].join('\n'));
  });

  it('keeps the target file\'s own layout (one line per changed field)', () => {
    const root = repo();
    const file = path.join(root, 'services/team-a/checkout/prod.json');
    writeFileSync(file, `{"cluster": "vc-team-a-prod",\n "imageTag": "1.4.2-aaaaaaa",\n "targetRevision": "${SHA('a')}"}\n`);
    promote({ root, service: 'team-a/checkout', from: 'staging', to: 'prod', environments: ENVS });
    expect(readFileSync(file, 'utf8')).toBe(`{"cluster": "vc-team-a-prod",\n "imageTag": "1.5.0-bbbbbbb",\n "targetRevision": "${SHA('b')}"}\n`);
  });

  it('writes nothing when the target already has the pin', () => {
    const root = repo();
    promote({ root, service: 'team-a/checkout', from: 'staging', to: 'prod', environments: ENVS });
    const r = promote({ root, service: 'team-a/checkout', from: 'staging', to: 'prod', environments: ENVS });
    expect(r).toMatchObject({ changed: false, diff: '' });
  });

  it('refuses unknown services, missing or bad pin files, the same environment and environments out of order, in one line with the fix', () => {
    const root = repo();
    const p = (service: string, from: string, to: string, environments = ENVS) => () => promote({ root, service, from, to, environments });
    expect(p('team-a/payments', 'staging', 'prod')).toThrow('service: got "team-a/payments", which has no folder services/team-a/payments/. Allowed: team-a/cart, team-a/checkout. Fix: check the name, or run the command from the repository root (or pass --dir).');
    expect(p('checkout', 'staging', 'prod')).toThrow('service: got "checkout". Allowed: "<team>/<service>", two DNS labels. Fix: name the service as in services/<team>/<service>/, e.g. "team-a/checkout".');
    expect(p('team-a/cart', 'staging', 'prod')).toThrow('services/team-a/cart/staging.json: file not found.');
    expect(p('team-a/checkout', 'prod', 'prod')).toThrow('--to: got "prod", the same as --from. Allowed: another environment. Fix: promote to the next environment, e.g. --from staging --to prod.');
    expect(p('team-a/checkout', 'staging', 'qa', ['dev', 'staging', 'prod'])).toThrow('--to: got "qa". Allowed: the platform\'s environments dev, staging, prod. Fix: use one of them.');
    expect(p('team-a/checkout', 'prod', 'staging', ['dev', 'staging', 'prod'])).toThrow('--to: got "staging", which comes before "prod" (order: dev, staging, prod). Allowed: a later environment. Fix: to roll back, revert the commit that changed services/team-a/checkout/staging.json, or pass --force to copy the pin backwards.');
    expect(promote({ root, service: 'team-a/checkout', from: 'prod', to: 'staging', environments: ['dev', 'staging', 'prod'], force: true }).changed).toBe(true);
    writeFileSync(path.join(root, 'services/team-a/checkout/staging.json'), JSON.stringify(pin('vc-team-a-staging', 'latest', SHA('b'))));
    expect(p('team-a/checkout', 'staging', 'prod')).toThrow('services/team-a/checkout/staging.json: imageTag: got "latest".');
  });

  it('refuses to skip an environment the service has a pin file for, naming it and the fix, unless forced; skips one it has none for', () => {
    const root = repo({
      'dist/platform.json': PLATFORM, 'services/team-a/checkout/dev.json': pin('vc-team-a-dev', '1.6.0-ddddddd', SHA('d')), 'services/team-a/cart/dev.json': pin('vc-team-a-dev', '2.1.0-eeeeeee', SHA('e')),
    });
    const prod = path.join(root, 'services/team-a/checkout/prod.json');
    const before = readFileSync(prod, 'utf8');
    const skip = () => promote({ root, service: 'team-a/checkout', from: 'dev', to: 'prod', environments: ENVS });
    expect(skip).toThrow('--to: got "prod", which skips "staging" after "dev" (order: dev, staging, prod; the service runs there: services/team-a/checkout/staging.json). '
      + 'Allowed: the next environment after "dev" the service has a pin file for, "staging". Fix: promote --from dev --to staging first, then on from there; or pass --force to skip it on purpose.');
    expect(readFileSync(prod, 'utf8')).toBe(before);
    // two skipped, named in order
    expect(() => promote({ root, service: 'team-a/checkout', from: 'dev', to: 'prod', environments: ['dev', 'qa', 'staging', 'prod'] })).toThrow('--to: got "prod", which skips "staging" after "dev"');
    writeFileSync(path.join(root, 'services/team-a/checkout/qa.json'), JSON.stringify(pin('vc-team-a-qa', '1.6.0-ddddddd', SHA('d'))));
    expect(() => promote({ root, service: 'team-a/checkout', from: 'dev', to: 'prod', environments: ['dev', 'qa', 'staging', 'prod'] }))
      .toThrow('which skips "qa" and "staging" after "dev" (order: dev, qa, staging, prod; the service runs there: services/team-a/checkout/qa.json, services/team-a/checkout/staging.json). '
        + 'Allowed: the next environment after "dev" the service has a pin file for, "qa". Fix: promote --from dev --to qa first, then on from there; or pass --force to skip them on purpose.');
    // an environment the service does not run in is not a step: cart has no staging.json
    expect(promote({ root, service: 'team-a/cart', from: 'dev', to: 'prod', environments: ENVS }).after.imageTag).toBe('2.1.0-eeeeeee');
    // --force: skipping on purpose
    expect(promote({ root, service: 'team-a/checkout', from: 'dev', to: 'prod', environments: ENVS, force: true }).after.imageTag).toBe('1.6.0-ddddddd');
  });

  it('diffs with context and separate hunks', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', ''].join('\n');
    const b = ['1', 'two', '3', '4', '5', '6', '7', '8', '9', 'ten', ''].join('\n');
    expect(unifiedDiff('f', a, b)).toBe(['--- a/f', '+++ b/f', '@@ -1,5 +1,5 @@', ' 1', '-2', '+two', ' 3', ' 4', ' 5', '@@ -7,4 +7,4 @@', ' 7', ' 8', ' 9', '-10', '+ten', ''].join('\n'));
  });
});

describe('cdk8s-gitops-platform promote', () => {
  it('prints the diff and the one file it wrote', async () => {
    const root = repo();
    const r = await runCli(['promote', 'team-a/checkout', '--from', 'staging', '--to', 'prod', '--dir', root]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('+  "imageTag": "1.5.0-bbbbbbb",');
    expect(r.out).toContain('promoted team-a/checkout from staging to prod: services/team-a/checkout/prod.json now pins 1.5.0-bbbbbbb (cluster vc-team-a-prod kept).');
  });

  it('resolves --dir against the working folder and fails in one line with the fix', async () => {
    const root = repo();
    const r = await runCli(['promote', 'team-a/nope', '--from', 'staging', '--to', 'prod'], root);
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: service: got "team-a/nope", which has no folder services/team-a/nope/. Allowed: team-a/cart, team-a/checkout. Fix: check the name, or run the command from the repository root (or pass --dir).\n');
    const same = await runCli(['promote', 'team-a/checkout', '--from', 'prod', '--to', 'prod'], root);
    expect(same.err).toBe('error: --to: got "prod", the same as --from. Allowed: another environment. Fix: promote to the next environment, e.g. --from staging --to prod.\n');
  });

  it('goes forward only, in the order of the committed platform.json, unless --force', async () => {
    const root = repo();
    const prod = path.join(root, 'services/team-a/checkout/prod.json');
    const staging = path.join(root, 'services/team-a/checkout/staging.json');
    const before = readFileSync(staging, 'utf8');
    const back = await runCli(['promote', 'team-a/checkout', '--from', 'prod', '--to', 'staging'], root);
    expect(back).toMatchObject({ code: 1, out: '' });
    expect(back.err).toBe('error: --to: got "staging", which comes before "prod" (order: dev, staging, prod). Allowed: a later environment. Fix: to roll back, revert the commit that changed services/team-a/checkout/staging.json, or pass --force to copy the pin backwards.\n');
    expect(readFileSync(staging, 'utf8')).toBe(before);
    const unknown = await runCli(['promote', 'team-a/checkout', '--from', 'staging', '--to', 'qa'], root);
    expect(unknown.err).toBe('error: --to: got "qa". Allowed: the platform\'s environments dev, staging, prod. Fix: use one of them.\n');
    const forced = await runCli(['promote', 'team-a/checkout', '--from', 'prod', '--to', 'staging', '--force'], root);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(staging, 'utf8')).imageTag).toBe(JSON.parse(readFileSync(prod, 'utf8')).imageTag);
  });

  it('refuses --from dev --to prod past the service\'s staging.json, leaving every file, and copies with --force', async () => {
    const root = repo({ 'dist/platform.json': PLATFORM, 'services/team-a/checkout/dev.json': pin('vc-team-a-dev', '1.6.0-ddddddd', SHA('d')) });
    const before = snapshot(root);
    const skip = await runCli(['promote', 'team-a/checkout', '--from', 'dev', '--to', 'prod'], root);
    expect(skip).toMatchObject({ code: 1, out: '' });
    expect(skip.err).toBe('error: --to: got "prod", which skips "staging" after "dev" (order: dev, staging, prod; the service runs there: services/team-a/checkout/staging.json). '
      + 'Allowed: the next environment after "dev" the service has a pin file for, "staging". Fix: promote --from dev --to staging first, then on from there; or pass --force to skip it on purpose.\n');
    expect(snapshot(root)).toEqual(before);
    const forced = await runCli(['promote', 'team-a/checkout', '--from', 'dev', '--to', 'prod', '--force'], root);
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('now pins 1.6.0-ddddddd');
  });

  it('reads the order from the output folder cdk8s.yaml names, and needs platform.json even with --force', async () => {
    const custom = repo({ 'cdk8s.yaml': 'app: npx tsx main.ts\noutput: gitops\n', 'gitops/platform.json': { ...PLATFORM, environments: ['prod', 'staging'] } });
    expect((await runCli(['promote', 'team-a/checkout', '--from', 'prod', '--to', 'staging'], custom)).code).toBe(0);
    const none = repo({});
    const r = await runCli(['promote', 'team-a/checkout', '--from', 'staging', '--to', 'prod', '--force'], none);
    expect(r.err).toBe(`error: no platform.json at "${path.join('.', 'dist', 'platform.json')}". Fix: synthesize the platform first, or pass --platform <path to platform.json>.\n`);
  });
});
