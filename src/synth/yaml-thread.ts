import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import type { TextScan } from '../policy/text-scan';
import { PARALLEL_THRESHOLD } from './parallel-write';
import { PLAIN_JSON } from './serialize';
import { toYaml, YAML_OPTIONS } from './yaml';

// Runs in the emitter's thread: dumps each batch of values with the library's options and sends
// the texts back, then bumps the shared counter so a waiting caller wakes. A value it cannot
// dump comes back as null (the caller dumps it itself and meets the error there); so does
// every value when js-yaml cannot be loaded in the thread. Asked to scan (a message that is not
// a batch), it runs the policy pass's credential scan over the texts it made and those the message
// brings, and sends back the scans that found something, or null when the scan cannot be loaded here.
const YAML_WORKER = `
const { workerData } = require('worker_threads');
const { options, flag, port } = workerData;
let dump;
try {
  // toYaml's two steps (src/synth/yaml.ts), with their options made once
  const { jsToAst, present, DUMP_SCHEMA } = require(workerData.jsYaml);
  const presenter = { lineWidth: options.lineWidth, schema: DUMP_SCHEMA };
  dump = (value) => present(jsToAst(value, DUMP_SCHEMA, options), presenter);
} catch {
  dump = undefined;
}
// the texts are kept for a scan, which is loaded when it is asked for (the render is over then)
const texts = workerData.scanner ? new Map() : undefined;
const state = new Int32Array(flag);
const reply = (message) => {
  port.postMessage(message);
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
};
port.on('message', (batch) => {
  if (!Array.isArray(batch)) {
    // the texts the caller made of what was left at the end are scanned here too
    if (texts && Array.isArray(batch.texts)) for (const [id, text] of batch.texts) texts.set(id, text);
    let scanned = null;
    try {
      if (workerData.tsx) require(workerData.tsx).register();
      const scanTexts = texts && require(workerData.scanner).scanTexts;
      if (typeof scanTexts === 'function') {
        const ids = [...texts.keys()];
        scanned = [];
        scanTexts(ids.map((id) => texts.get(id))).forEach((s, k) => {
          if (s.own.length > 0 || s.ruleSet.length > 0) scanned.push([ids[k], s]);
        });
      }
    } catch {
      scanned = null;
    }
    texts?.clear();
    reply({ scanned });
    return;
  }
  const out = [];
  for (const [id, value] of batch) {
    let text = null;
    try {
      text = dump ? dump(value) : null;
    } catch {
      text = null;
    }
    if (text !== null && texts) texts.set(id, text);
    out.push([id, text]);
  }
  reply(out);
});
`;

/** Values per message to the emitter's thread. */
const BATCH = 128;

/**
 * Batches on the thread at a time: enough to keep it busy between two looks of the caller; the
 * others wait on the caller's side, where {@link YamlEmitter.drain} can dump them itself.
 */
const IN_FLIGHT = 4;

/** How long a silent thread is waited for before its values are dumped on the caller's thread. */
const STALL_MS = 10_000;

/**
 * Receives a value's text; `scan`, for a text made on the thread, returns the thread's
 * credential scan of it (see {@link YamlEmitter.drain}), or undefined where there is none.
 */
type Done = (text: string, scan?: () => TextScan | undefined) => void;

/** The policy pass's credential scan, compiled (the package) or as source (this repository's tests and tools). */
function scannerModule(): { scanner: string; tsx?: string } | undefined {
  const base = path.join(__dirname, '..', 'policy', 'text-scan');
  if (fs.existsSync(`${base}.js`)) return { scanner: `${base}.js` };
  if (!fs.existsSync(`${base}.ts`)) return undefined;
  try {
    // TypeScript sources load in the thread through tsx's loader, a development dependency
    return { scanner: `${base}.ts`, tsx: require.resolve('tsx/cjs/api') };
  } catch {
    return undefined;
  }
}

/**
 * @internal The emitter's settings (tests change them): how many values a render dumps on its own
 * thread before it starts the emitter's thread, the js-yaml module that thread loads, and the
 * credential scan it loads (`scanner`: a module exporting `scanTexts`; undefined: the library's own),
 * and how long a silent thread is waited for.
 */
export const YAML_THREAD: { threshold: number; module: string; scanner?: string; stallMs: number } = { threshold: PARALLEL_THRESHOLD, module: 'js-yaml', stallMs: STALL_MS };

const NO_FINDING: TextScan = { own: [], ruleSet: [] };

/**
 * Emits YAML on another thread while the caller goes on rendering. The first `threshold` values
 * are dumped at once on the caller's thread (a small output never starts a thread); past it, a
 * worker thread dumps them with the same js-yaml and the same options, and each text comes back
 * to its callback, in the order the values were given, from {@link emit} (whatever is ready) or
 * {@link drain} (everything). The texts are the very bytes {@link toYaml} makes: only plain
 * data goes to the thread (plain objects and arrays of strings, numbers, booleans, null,
 * undefined and dates), which structured clone copies with everything js-yaml reads (own
 * enumerable keys in order); any other value (an instance of a class, a function, a map) is
 * dumped on the caller's thread, in its turn.
 */
export class YamlEmitter {
  private emitted = 0;
  private worker?: Worker;
  private unavailable = false;
  private port?: MessagePort;
  private state?: Int32Array;
  private seen = 0;
  private batch: [number, unknown][] = [];
  // full batches not yet sent, and how many sent batches the thread has not answered
  private readonly queue: [number, unknown][][] = [];
  private queued = 0;
  private inFlight = 0;
  private readonly values = new Map<number, unknown>();
  private readonly pending = new Map<number, Done>();
  private next = 0;
  // texts that came back before an earlier one: handed on in order
  private readonly ready = new Map<number, string>();
  // ids of the texts the thread made
  private readonly threadMade = new Set<number>();
  // texts the caller made while draining, to be scanned on the thread with the thread's own
  private readonly sentToScan = new Map<number, string>();
  private delivered = 0;
  // the thread's credential scans by id: undefined until asked and received, null when there are none
  private scans?: Map<number, TextScan> | null;
  private scanAsked = false;
  private stalled = false;
  /** @internal How many texts the thread made (the others were made on the caller's thread). */
  public fromThread = 0;
  /** @internal How many texts the caller made of the batches left unsent at the end ({@link drain}). */
  public drainedHere = 0;
  /** @internal How many texts the thread scanned for credentials (its own and those the caller made at the end). */
  public scannedOnThread = 0;

  constructor(private readonly threshold = YAML_THREAD.threshold) {}

  /** Dumps `value` (at once, or on the thread) and hands its text to `done`. */
  public emit(value: unknown, done: Done): void {
    this.emitted++;
    if (this.emitted <= this.threshold || this.threshold === Infinity) {
      done(toYaml(value));
      return;
    }
    if (!PLAIN_JSON.has(value as object) && !isPlainData(value, 0)) {
      // what the copy would change (an instance of a class, which js-yaml leaves out but the copy makes a plain object)
      this.inOrder(toYaml(value), done);
      return;
    }
    if (!this.worker && !this.start()) {
      // no thread could be started here: everything is dumped on the caller's thread
      this.inOrder(toYaml(value), done);
      return;
    }
    const id = this.next++;
    this.pending.set(id, done);
    this.values.set(id, value);
    this.batch.push([id, value]);
    if (this.batch.length >= BATCH) {
      this.enqueue();
      this.take(false);
    }
  }

  /**
   * Waits for every text still on the thread, handing each to its callback; stops the thread.
   * Meanwhile the caller dumps the batches the thread has not been sent yet, last first, so
   * both threads work on what is left. With `scan`, the thread is asked instead to scan for
   * credentials the texts it made and those the caller made here, while the caller goes on;
   * each such text's `scan` callback waits for that scan, the first time one is called
   * ({@link cancel} stops the thread when the caller is done).
   */
  public drain(scan = false): void {
    if (!this.worker) return;
    let keep = false;
    try {
      this.enqueue();
      while (this.delivered < this.next) {
        this.take(false);
        const last = this.queued < this.queue.length ? this.queue.pop() : undefined;
        if (last) {
          for (const [id, value] of last) {
            const text = toYaml(value);
            this.drainedHere++;
            if (scan) this.sentToScan.set(id, text);
            this.arrive(id, text);
          }
          this.deliver();
        } else if (this.delivered < this.next) {
          this.take(true);
        }
      }
      // a thread that went silent is not asked for more
      if (scan && this.worker && !this.stalled) {
        this.port!.postMessage({ scan: true, texts: [...this.sentToScan] });
        this.scanAsked = true;
        keep = true;
      }
    } finally {
      if (!keep) this.close();
    }
  }

  /** Stops the thread without waiting for what it still holds (a render that failed). */
  public cancel(): void {
    if (this.worker) this.close();
  }

  /** The thread's scan of the text with this id; waits for the thread's scans the first time. */
  private scanOf(id: number): TextScan | undefined {
    if (this.scans === undefined) this.scans = this.receiveScans();
    return this.scans === null ? undefined : this.scans.get(id) ?? NO_FINDING;
  }

  /** The scans the thread sends back (null: none, the thread could not scan or was stopped); stops the thread. */
  private receiveScans(): Map<number, TextScan> | null {
    if (!this.scanAsked || !this.worker) return null;
    try {
      for (;;) {
        const reply = receiveMessageOnPort(this.port!);
        if (reply) {
          this.seen++;
          const scanned = (reply.message as { scanned?: [number, TextScan][] | null }).scanned;
          if (Array.isArray(reply.message) || scanned === undefined) continue;
          if (scanned === null) return null;
          this.scannedOnThread = this.threadMade.size + this.sentToScan.size;
          return new Map(scanned);
        }
        if (Atomics.wait(this.state!, 0, this.seen, YAML_THREAD.stallMs) === 'timed-out') return null;
      }
    } finally {
      this.close();
    }
  }

  /** Starts the thread; false (once and for all) where none can be started, e.g. js-yaml cannot be found from here. */
  private start(): boolean {
    if (this.unavailable) return false;
    try {
      const jsYaml = require.resolve(YAML_THREAD.module);
      const scan = YAML_THREAD.scanner !== undefined ? { scanner: YAML_THREAD.scanner } : scannerModule();
      this.state = new Int32Array(new SharedArrayBuffer(4));
      const { port1, port2 } = new MessageChannel();
      this.port = port1;
      this.worker = new Worker(YAML_WORKER, {
        eval: true,
        execArgv: [],
        workerData: { jsYaml, ...scan, options: YAML_OPTIONS, flag: this.state.buffer, port: port2 },
        transferList: [port2],
      });
      // a thread left running never keeps the process alive
      this.worker.unref();
      return true;
    } catch {
      this.unavailable = true;
      return false;
    }
  }

  /** Queues the batch being filled and sends what the thread can take. */
  private enqueue(): void {
    if (this.batch.length > 0) this.queue.push(this.batch);
    this.batch = [];
    this.pump();
  }

  /** Sends queued batches, first first, while the thread holds fewer than {@link IN_FLIGHT}. */
  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.queued < this.queue.length && !this.stalled) {
      const batch = this.queue[this.queued];
      this.queue[this.queued++] = [];
      try {
        this.port!.postMessage(batch);
        this.inFlight++;
      } catch {
        // a value that structured clone cannot copy: this batch is dumped here
        for (const [id, value] of batch) this.arrive(id, toYaml(value));
        this.deliver();
      }
    }
  }

  /**
   * Hands on the texts that came back; with `wait`, waits for at least one reply. A thread that
   * sends nothing for `YAML_THREAD.stallMs` (it died) is given up: what it still holds is dumped here.
   */
  private take(wait: boolean): void {
    let got = false;
    for (;;) {
      const reply = receiveMessageOnPort(this.port!);
      if (reply) {
        this.seen++;
        this.inFlight--;
        got = true;
        for (const [id, text] of reply.message as [number, string | null][]) {
          if (!this.values.has(id)) continue;
          if (text !== null) {
            this.fromThread++;
            this.threadMade.add(id);
          }
          this.arrive(id, text ?? toYaml(this.values.get(id)));
        }
        continue;
      }
      if (got || !wait || this.values.size === 0) break;
      if (Atomics.wait(this.state!, 0, this.seen, YAML_THREAD.stallMs) === 'timed-out') {
        for (const [id, value] of [...this.values]) this.arrive(id, toYaml(value));
        this.stalled = true;
        this.queue.length = this.queued;
        break;
      }
    }
    this.pump();
    this.deliver();
  }

  /** A text made here while earlier values are still on the thread: handed on in its turn. */
  private inOrder(text: string, done: Done): void {
    const id = this.next++;
    this.pending.set(id, done);
    this.arrive(id, text);
    this.deliver();
  }

  private arrive(id: number, text: string): void {
    this.ready.set(id, text);
    this.values.delete(id);
  }

  private deliver(): void {
    for (let text = this.ready.get(this.delivered); text !== undefined; text = this.ready.get(this.delivered)) {
      this.ready.delete(this.delivered);
      const id = this.delivered;
      const done = this.pending.get(id)!;
      this.pending.delete(id);
      this.delivered++;
      done(text, this.threadMade.has(id) || this.sentToScan.has(id) ? () => this.scanOf(id) : undefined);
    }
  }

  private close(): void {
    this.port?.close();
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

/** @internal Whether structured clone copies `value` with exactly what js-yaml reads (a deep value of plain data). */
export function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
  if (depth > 200) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainData(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Date.prototype) return true;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in value) if (!isPlainData((value as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}
