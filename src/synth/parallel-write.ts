import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';

/** Below this many files one thread writes them (starting threads costs more than it saves). */
export const PARALLEL_THRESHOLD = 4000;

// Both writing threads: writes a file, and notes how it left it (size, modification time and
// inode, read on the open file) for the synth cache.
const WRITE_AND_STAT = `
const fs = require('fs');
const path = require('path');
function writeAndStat(root, rel, content, stats) {
  const fd = fs.openSync(path.join(root, rel), 'w');
  try {
    fs.writeFileSync(fd, content);
    const st = fs.fstatSync(fd);
    stats.push([rel, st.size, st.mtimeMs, st.ino]);
  } finally {
    fs.closeSync(fd);
  }
}
`;

// Runs in each worker: writes its share of the files, then reports and wakes the waiting thread.
const WORKER = `${WRITE_AND_STAT}
const { workerData } = require('worker_threads');
const { root, files, flag, slot, port } = workerData;
let error;
const stats = [];
try {
  for (const [rel, content] of files) writeAndStat(root, rel, content, stats);
} catch (e) {
  error = e instanceof Error ? { message: e.message, code: e.code } : { message: String(e) };
}
port.postMessage({ error, stats });
const state = new Int32Array(flag);
Atomics.store(state, slot, 1);
Atomics.notify(state, slot);
`;

/**
 * Writes `files` (relative path -> content) under `root`, whose folders exist already. Large
 * sets are split between worker threads (file creation is mostly kernel work, which threads
 * spread over the cores) while this thread waits, so the call stays synchronous. Throws the
 * first error a thread met (the caller removes `root`, a private staging folder). `stats`
 * receives how the threads left each file (none when this thread writes them).
 */
export function writeFilesParallel(root: string, files: readonly (readonly [string, string])[], stats?: FileStats): void {
  const threads = Math.min(4, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  if (files.length < PARALLEL_THRESHOLD || threads < 2) {
    for (const [rel, content] of files) fs.writeFileSync(path.join(root, rel), content);
    return;
  }
  const flag = new SharedArrayBuffer(4 * threads);
  const state = new Int32Array(flag);
  const ports = [];
  const workers = [];
  for (let i = 0; i < threads; i++) {
    const share = files.filter((_, n) => n % threads === i);
    const { port1, port2 } = new MessageChannel();
    ports.push(port1);
    workers.push(new Worker(WORKER, { eval: true, execArgv: [], workerData: { root, files: share, flag, slot: i, port: port2 }, transferList: [port2] }));
  }
  let error: { message: string; code?: string } | undefined;
  for (let i = 0; i < threads; i++) {
    while (Atomics.load(state, i) === 0) Atomics.wait(state, i, 0, 1000);
    const reply = receiveMessageOnPort(ports[i])?.message as { error?: { message: string; code?: string }; stats?: FileStat[] } | undefined;
    error ??= reply?.error;
    for (const [rel, ...st] of reply?.stats ?? []) stats?.set(rel, st);
    ports[i].close();
    void workers[i].terminate();
  }
  if (error) throw Object.assign(new Error(error.message), { code: error.code });
}

// Runs in the streaming writer's thread: writes each batch as it arrives (creating folders as
// needed), skips everything once cancelled, and on the end mark reports and wakes the waiting thread.
const STREAM_WORKER = `${WRITE_AND_STAT}
const { workerData } = require('worker_threads');
const { root, flag, port } = workerData;
const state = new Int32Array(flag);
const dirs = new Set(['.']);
const stats = [];
let error;
port.on('message', (batch) => {
  if (batch === null) {
    port.postMessage({ error, stats });
    Atomics.store(state, 0, 1);
    Atomics.notify(state, 0);
    return;
  }
  if (error || Atomics.load(state, 1) === 1) return;
  try {
    for (const [rel, content] of batch) {
      const dir = path.posix.dirname(rel);
      if (!dirs.has(dir)) {
        fs.mkdirSync(path.join(root, dir), { recursive: true });
        dirs.add(dir);
      }
      writeAndStat(root, rel, content, stats);
      if (Atomics.load(state, 1) === 1) return;
    }
  } catch (e) {
    error = e instanceof Error ? { message: e.message, code: e.code } : { message: String(e) };
  }
});
`;

// Runs in the comparing thread of an update: for each file handed to it, tells whether the output
// already holds exactly that content (a regular file under real folders, read without following a
// link or blocking on a FIFO). Anything it cannot tell is left to the caller.
const COMPARE_WORKER = `
const { workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const { root, flag, port } = workerData;
const state = new Int32Array(flag);
const FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0);
const real = new Map([['.', true]]);
const isRealDir = (d) => {
  let r = real.get(d);
  if (r === undefined) {
    r = isRealDir(path.posix.dirname(d));
    if (r) {
      try {
        r = fs.lstatSync(path.join(root, d)).isDirectory();
      } catch {
        r = false;
      }
    }
    real.set(d, r);
  }
  return r;
};
const same = [];
port.on('message', (batch) => {
  if (batch === null) {
    port.postMessage({ same });
    Atomics.store(state, 0, 1);
    Atomics.notify(state, 0);
    return;
  }
  for (const [rel, content] of batch) {
    if (Atomics.load(state, 1) === 1) return;
    try {
      if (!isRealDir(path.posix.dirname(rel))) continue;
      const file = path.join(root, rel);
      const st = fs.lstatSync(file);
      if (!st.isFile() || st.size !== Buffer.byteLength(content)) continue;
      const fd = fs.openSync(file, FLAGS);
      try {
        if (fs.readFileSync(fd, 'utf8') === content) same.push([rel, st.size, st.mtimeMs, st.ino]);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // missing or unreadable: the caller looks at it itself
    }
  }
});
`;

/** A file as a thread left it: path, then size, modification time and inode (what the synth cache records). */
type FileStat = [string, number, number, number];

/** Path -> size, modification time and inode of files a thread wrote or found unchanged. */
export type FileStats = Map<string, readonly [number, number, number]>;

/** Files per message to the streaming writer's thread. */
const BATCH = 256;

/**
 * Writes files under `root` (a private staging folder) while the caller is still producing them:
 * the first `threshold` files are kept; past it, one worker thread is started and every file is
 * handed to it in batches, so writing overlaps with rendering on another core. {@link finish}
 * waits for the thread and returns what it wrote; files it kept (a small output) are left to the
 * caller. {@link cancel} stops the thread before the caller removes `root`. In `compare` mode the
 * thread writes nothing: {@link finish} returns the files `root` already holds with that content.
 */
export class StreamingWriter {
  private readonly kept: [string, string][] = [];
  private batch: [string, string][] = [];
  private readonly sent = new Map<string, string>();
  private worker?: Worker;
  private port?: MessagePort;
  private state?: Int32Array;
  private stopped = false;

  /**
   * @param mode `write`: write the files under `root`; `compare`: only tell which files `root`
   * already holds with the same content (an update's comparison, done while the render goes on).
   */
  constructor(private readonly root: string, private readonly threshold = PARALLEL_THRESHOLD, private readonly mode: 'write' | 'compare' = 'write') {}

  /** Adds one file (an output-relative path already checked to stay inside `root`). */
  public add(rel: string, content: string): void {
    if (!this.worker) {
      this.kept.push([rel, content]);
      if (this.kept.length >= this.threshold && this.threshold < Infinity) this.start();
      return;
    }
    this.batch.push([rel, content]);
    this.sent.set(rel, content);
    if (this.batch.length >= BATCH) this.flush();
  }

  /**
   * Waits for the thread to write everything handed to it; throws the first error it met.
   * Returns the files it wrote (path -> content) and the files kept for the caller to write;
   * `stats` receives how the thread left each file it wrote or found unchanged.
   */
  public finish(stats?: FileStats): { written: ReadonlyMap<string, string>; kept: readonly (readonly [string, string])[] } {
    if (!this.worker) return { written: new Map(), kept: this.kept };
    this.flush();
    const reply = this.stop();
    if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    for (const [rel, ...st] of reply.stats ?? reply.same ?? []) stats?.set(rel, st);
    if (this.mode === 'write') return { written: this.sent, kept: [] };
    // compare: the files found with the very content handed over
    return { written: new Map((reply.same ?? []).map(([rel]) => [rel, this.sent.get(rel)!])), kept: [] };
  }

  /** Stops the thread (it writes nothing more), and waits until it has. */
  public cancel(): void {
    if (!this.worker || this.stopped) return;
    Atomics.store(this.state!, 1, 1);
    this.stop();
  }

  private start(): void {
    this.state = new Int32Array(new SharedArrayBuffer(8));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(this.mode === 'write' ? STREAM_WORKER : COMPARE_WORKER, { eval: true, execArgv: [], workerData: { root: this.root, flag: this.state.buffer, port: port2 }, transferList: [port2] });
    for (const [rel, content] of this.kept.splice(0)) this.add(rel, content);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.port!.postMessage(this.batch);
    this.batch = [];
  }

  private stop(): { error?: { message: string; code?: string }; same?: FileStat[]; stats?: FileStat[] } {
    this.stopped = true;
    this.port!.postMessage(null);
    while (Atomics.load(this.state!, 0) === 0) Atomics.wait(this.state!, 0, 0, 1000);
    const reply = receiveMessageOnPort(this.port!)?.message as { error?: { message: string; code?: string }; same?: FileStat[]; stats?: FileStat[] } | undefined;
    this.port!.close();
    void this.worker!.terminate();
    return reply ?? {};
  }
}
