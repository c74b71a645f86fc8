import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { TerraformOutput } from 'cdktf';
import { ManagementCluster, Platform } from '../src';
import { YAML_THREAD, YamlEmitter } from '../src/synth/yaml-thread';
import { mixedPlatform } from './support/platforms';
import { teamServicesPlatform } from './support/rendered-platforms';
import { readTree } from './support/tree';
import { toYaml } from '../src/synth/yaml';
import { scanTexts } from '../src/policy/text-scan';

/** Values whose YAML depends on what structured clone keeps: key order, undefined, dates, class instances, quoting. */
function values(n: number): unknown[] {
  class Named {
    public readonly kind = 'Named';
    private readonly hidden = 'own but private in TypeScript only';
    constructor(public readonly name: string) {}
    get computed(): string {
      return `${this.name}-${this.hidden}`;
    }
  }
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      z: i, a: ['on', 'y', 'N', '1e3', '~', ''], nested: { gone: undefined, kept: null, deep: { list: [{ x: 'a: b' }, true, -0] } },
      when: new Date(Date.UTC(2026, 10, i % 28 + 1)), text: `line one\nline two ${i}`, long: 'x'.repeat(200 + (i % 7)),
      unicode: 'ünïcødé ✓',
      // an instance of a class (js-yaml leaves it out; a copy would not): such values stay on the calling thread
      ...(i % 10 === 0 ? { instance: new Named(`n${i}`) } : {}),
    });
  }
  return out;
}

function emitAll(emitter: YamlEmitter, vs: unknown[]): string[] {
  const texts: string[] = [];
  const order: number[] = [];
  vs.forEach((v, i) => emitter.emit(v, (t) => {
    texts[i] = t;
    order.push(i);
  }));
  emitter.drain();
  expect(order).toEqual(vs.map((_, i) => i)); // texts are handed on in the order the values were given
  return texts;
}

/** Emits every value, then drains asking the thread to scan: each value's text, and its scan where the thread made the text. */
function emitAndScan(emitter: YamlEmitter, vs: unknown[]): { texts: string[]; scans: ((() => unknown) | undefined)[] } {
  const texts: string[] = [];
  const scans: ((() => unknown) | undefined)[] = [];
  vs.forEach((v, i) => emitter.emit(v, (t, scan) => {
    texts[i] = t;
    scans[i] = scan;
  }));
  emitter.drain(true);
  return { texts, scans };
}

describe('YAML emitted on another thread (a large output while the render goes on)', () => {
  it('gives the very bytes toYaml gives, for every value, past the threshold as below it', () => {
    const vs = values(600);
    const emitter = new YamlEmitter(100);
    const texts = emitAll(emitter, vs);
    expect(texts).toEqual(vs.map((v) => toYaml(v)));
    // past the threshold, every value but the tenth with an instance of a class
    expect(emitter.fromThread).toBe(450);
  });

  it('dumps a value structured clone cannot copy (one holding a function) on the calling thread, with the same bytes', () => {
    const vs = values(300);
    vs[250] = { name: 'with-a-function', fn: () => 1, kept: 'yes' };
    const texts = emitAll(new YamlEmitter(0), vs);
    expect(texts[250]).toBe(toYaml(vs[250]));
    expect(texts[250]).toBe("name: with-a-function\nkept: 'yes'\n");
    expect(texts).toEqual(vs.map((v) => toYaml(v)));
  });

  it.each([
    ['js-yaml cannot be found (no thread is started)', () => 'no-such-yaml-module'],
    ['js-yaml cannot be loaded in the thread (it sends every value back undumped)', (dir: string) => {
      const broken = path.join(dir, 'broken-yaml.js');
      fs.writeFileSync(broken, 'throw new Error("cannot load");\n');
      return broken;
    }],
  ])('dumps everything on the calling thread, with the same bytes, when %s', (_, moduleOf) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-thread-'));
    const before = YAML_THREAD.module;
    try {
      YAML_THREAD.module = moduleOf(dir);
      const vs = values(300);
      const emitter = new YamlEmitter(0);
      expect(emitAll(emitter, vs)).toEqual(vs.map((v) => toYaml(v)));
      expect(emitter.fromThread).toBe(0);
    } finally {
      YAML_THREAD.module = before;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts no thread below its threshold: every text comes back at once', () => {
    const emitter = new YamlEmitter(10);
    let got: string | undefined;
    emitter.emit({ a: 1 }, (t) => (got = t));
    expect(got).toBe('a: 1\n');
    emitter.drain();
  });

  it('scans the texts it made for credentials on the thread, as the policy pass would scan them', () => {
    // credentials of the library's own patterns and of the maintained scanner's only, in some values
    const token = ['ghp', '_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
    const npm = `//registry.example.dev/:_authToken=${['npm', '_', 'Ab3dEf5hIj7lMn9pQr1tUv3xYz5bCd7fGh9j'].join('')}`;
    const vs = values(300).map((v, i) => (i % 40 === 7 ? { ...(v as object), token } : i % 40 === 9 ? { ...(v as object), npmrc: npm } : v));
    const emitter = new YamlEmitter(100);
    const { texts, scans } = emitAndScan(emitter, vs);
    // only the texts past the threshold have a scan of their own (the thread's, and those left at the end); each is the one made here from the same text
    expect(scans.filter((s) => s !== undefined)).toHaveLength(emitter.fromThread + emitter.drainedHere);
    const here = scanTexts(texts);
    const there = scans.map((s) => s?.());
    expect(emitter.scannedOnThread).toBe(emitter.fromThread + emitter.drainedHere);
    vs.forEach((_, i) => {
      if (scans[i]) expect(there[i], `value ${i}`).toEqual(here[i]);
    });
    const found = there.filter((s) => s && ((s as { own: unknown[] }).own.length > 0 || (s as { ruleSet: unknown[] }).ruleSet.length > 0));
    expect(found.length).toBeGreaterThanOrEqual(10);
  });

  it('gives up on a thread that goes silent: what it still holds is dumped here, and the texts it made are scanned here', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-thread-'));
    // js-yaml, except that a value marked `block` never comes back
    const stuck = path.join(dir, 'stuck-yaml.js');
    fs.writeFileSync(stuck, `const real = require(${JSON.stringify(require.resolve('js-yaml'))});
module.exports = { ...real, jsToAst: (v, ...rest) => { if (v && v.block) for (;;) {} return real.jsToAst(v, ...rest); } };\n`);
    const before = { ...YAML_THREAD };
    Object.assign(YAML_THREAD, { module: stuck, stallMs: 1000 });
    try {
      const vs = values(300).map((v, i) => (i === 205 ? { ...(v as object), block: true } : v));
      const emitter = new YamlEmitter(0);
      const { texts, scans } = emitAndScan(emitter, vs);
      expect(texts).toEqual(vs.map((v) => toYaml(v)));
      // the first batch came back from the thread; the rest was dumped here once it went silent
      expect(emitter.fromThread).toBeGreaterThan(0);
      expect(emitter.fromThread).toBeLessThan(200);
      // a silent thread is not asked to scan (nor waited for again): the texts it made are scanned by the policy pass here
      expect(scans.filter(Boolean)).toHaveLength(emitter.fromThread);
      const asked = Date.now();
      expect(scans.map((s) => s?.())).toEqual(scans.map(() => undefined));
      expect(Date.now() - asked).toBeLessThan(500);
      expect(emitter.scannedOnThread).toBe(0);
    } finally {
      Object.assign(YAML_THREAD, before);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shares what is left at the end: the batches the thread was not sent yet are dumped here, and every text keeps its place', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-thread-'));
    // js-yaml taking 2 ms a value on the thread: the render outruns it
    const slow = path.join(dir, 'slow-yaml.js');
    fs.writeFileSync(slow, `const real = require(${JSON.stringify(require.resolve('js-yaml'))});
const pause = new Int32Array(new SharedArrayBuffer(4));
module.exports = { ...real, jsToAst: (...args) => { Atomics.wait(pause, 0, 0, 2); return real.jsToAst(...args); } };\n`);
    const before = { ...YAML_THREAD };
    YAML_THREAD.module = slow;
    try {
      const token = ['ghp', '_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
      const vs = values(3000).map((v, i) => (i % 100 === 1 ? { ...(v as object), token } : v));
      const emitter = new YamlEmitter(0);
      expect(emitAll(emitter, vs)).toEqual(vs.map((v) => toYaml(v)));
      // every tenth value holds a class instance and is dumped here anyway; of the others, the thread made only part
      const plain = vs.filter((_, i) => i % 10 !== 0).length;
      expect(emitter.fromThread).toBeGreaterThan(0);
      expect(emitter.fromThread).toBeLessThan(plain / 2);
      expect(emitter.fromThread + emitter.drainedHere).toBe(plain);
      // asked to scan, the thread scans the texts made here at the end as well, as the policy pass would
      const scanning = new YamlEmitter(0);
      const { texts, scans } = emitAndScan(scanning, vs);
      expect(texts).toEqual(vs.map((v) => toYaml(v)));
      expect(scanning.drainedHere).toBeGreaterThan(0);
      expect(scans.filter(Boolean)).toHaveLength(plain);
      const here = scanTexts(texts);
      vs.forEach((_, i) => {
        if (scans[i]) expect(scans[i]!(), `value ${i}`).toEqual(here[i]);
      });
      expect(scanning.scannedOnThread).toBe(plain);
      expect(scans.filter((s, i) => s && here[i].own.length > 0)).toHaveLength(30);
    } finally {
      Object.assign(YAML_THREAD, before);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can be cancelled with values still on the thread (a render that failed), handing on nothing more', () => {
    const emitter = new YamlEmitter(0);
    let handed = 0;
    for (const v of values(50)) emitter.emit(v, () => handed++);
    emitter.cancel();
    const before = handed;
    emitter.drain();
    expect(handed).toBe(before);
  });
});

describe('the render pass with its YAML emitted on another thread', () => {
  const withThreshold = <T>(threshold: number, f: () => T): T => {
    const before = YAML_THREAD.threshold;
    YAML_THREAD.threshold = threshold;
    try {
      return f();
    } finally {
      YAML_THREAD.threshold = before;
    }
  };
  const rendered = (build: () => Platform, threshold: number) => withThreshold(threshold, () => {
    const p = build();
    return { files: [...p.render()], warnings: p.warnings };
  });

  it.each([['both cockpits and both fleet clouds', mixedPlatform], ['team services', teamServicesPlatform]])('renders %s to the same files, in the same order, with the same warnings', (_, build) => {
    const here = rendered(build, Infinity);
    const threaded = rendered(build, 0);
    expect(threaded.files.length).toBeGreaterThan(50);
    expect(threaded).toEqual(here);
  });

  /** Every file under `dir` with its modification time. */
  const stamps = (dir: string) => ({ files: readTree(dir), mtimes: Object.fromEntries(Object.keys(readTree(dir)).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs])) });

  /** Runs `f` with a fresh folder holding `out`, synthesized without the thread when `previous`, then removes it. */
  const withOutput = (previous: boolean, f: (out: string, dir: string) => void) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-thread-'));
    try {
      const out = path.join(dir, 'out');
      if (previous) withThreshold(Infinity, () => mixedPlatform(out).synth());
      f(out, dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('writes the same files with synth, the files streamed to the writer as their text comes back', () => withOutput(false, (out) => {
    const expected = withThreshold(Infinity, () => mixedPlatform().render());
    withThreshold(0, () => mixedPlatform(out).synth());
    for (const [f, content] of expected) expect(fs.readFileSync(path.join(out, f), 'utf8'), f).toBe(content);
  }));

  it('re-synthesizes an unchanged platform through the thread without touching a file', () => withOutput(true, (out) => {
    const before = stamps(out);
    withThreshold(0, () => mixedPlatform(out).synth());
    expect(stamps(out)).toEqual(before);
  }));

  /** The platform's render with credentials in objects whose YAML the thread makes: the error it throws. */
  const credentialsRefused = (threshold: number) => withThreshold(threshold, () => {
    const platform = mixedPlatform();
    const chart = (platform.node.findChild('cockpit-aks') as ManagementCluster).chart;
    new ApiObject(chart, 'leaky', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaky', namespace: 'default' },
      data: { token: ['ghp', '_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join(''), npmrc: `//registry.example.dev/:_authToken=${['npm', '_', 'Ab3dEf5hIj7lMn9pQr1tUv3xYz5bCd7fGh9j'].join('')}` },
    });
    // and one in a Terraform state, a text the render makes itself (scanned on the render's thread)
    new TerraformOutput((platform.node.findChild('cockpit-eks') as ManagementCluster).stack, 'leaky', { value: ['glpat', '-', 'Zx9Yw8Vu7Ts6Rq5Po4Nm'].join('') });
    try {
      platform.render();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('the credentials were not refused');
  });

  it('refuses credentials in texts the thread made and scanned, with the very findings of a render without the thread', () => {
    const here = credentialsRefused(Infinity);
    expect(here).toMatch(/no-credentials in "clusters\/cockpit-aks\/default\/configmap-leaky.yaml": got a GitHub token on line/);
    expect(here).toMatch(/got a credential \(npm: /);
    expect(here).toMatch(/no-credentials in "terraform\/cockpit-eks\/cdk.tf.json": got a GitLab token on line/);
    expect(credentialsRefused(0)).toBe(here);
  });

  it('scans on the render\'s thread, with the same findings, when the thread cannot load the credential scan', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-thread-'));
    const broken = path.join(dir, 'broken-scan.js');
    fs.writeFileSync(broken, 'throw new Error("cannot load");\n');
    const here = credentialsRefused(Infinity);
    YAML_THREAD.scanner = broken;
    try {
      expect(credentialsRefused(0)).toBe(here);
      const emitter = new YamlEmitter(0);
      const { scans } = emitAndScan(emitter, values(20));
      expect(scans.filter(Boolean).length).toBe(emitter.fromThread);
      expect(scans.map((s) => s?.())).toEqual(scans.map(() => undefined));
      expect(emitter.scannedOnThread).toBe(0);
    } finally {
      YAML_THREAD.scanner = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the previous output exactly as it was when a synth whose YAML went through the thread fails its checks', () => withOutput(true, (out, dir) => {
    const before = stamps(out);
    withThreshold(0, () => {
      const platform = mixedPlatform(out);
      // a privileged container, refused by the policy pass after every file's YAML came back
      new ApiObject((platform.node.findChild('cockpit-aks') as ManagementCluster).chart, 'risky', {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'risky', namespace: 'default' },
        spec: { template: { spec: { containers: [{ name: 'c', image: 'registry.example.dev/c:1.0.0', securityContext: { privileged: true, runAsUser: 0 } }] } } },
      });
      expect(() => platform.synth()).toThrow(/privileged: true/);
    });
    expect(stamps(out)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  }));
});
