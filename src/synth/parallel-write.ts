import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/** Below this many files one thread writes them (starting threads costs more than it saves). */
export const PARALLEL_THRESHOLD = 4000;

// Runs in each worker: writes its share of the files, then reports and wakes the waiting thread.
const WORKER = `
const { workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const { root, files, flag, slot, port } = workerData;
let error;
try {
  for (const [rel, content] of files) fs.writeFileSync(path.join(root, rel), content);
} catch (e) {
  error = e instanceof Error ? { message: e.message, code: e.code } : { message: String(e) };
}
port.postMessage({ error });
const state = new Int32Array(flag);
Atomics.store(state, slot, 1);
Atomics.notify(state, slot);
`;

/**
 * Writes `files` (relative path -> content) under `root`, whose folders exist already. Large
 * sets are split between worker threads (file creation is mostly kernel work, which threads
 * spread over the cores) while this thread waits, so the call stays synchronous. Throws the
 * first error a thread met (the caller removes `root`, a private staging folder).
 */
export function writeFilesParallel(root: string, files: readonly (readonly [string, string])[]): void {
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
    const reply = receiveMessageOnPort(ports[i])?.message as { error?: { message: string; code?: string } } | undefined;
    error ??= reply?.error;
    ports[i].close();
    void workers[i].terminate();
  }
  if (error) throw Object.assign(new Error(error.message), { code: error.code });
}
