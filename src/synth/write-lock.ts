import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * One writer at a time per output folder. The lock is a file beside the output folder,
 * `.<name>.lock`, created exclusively (`O_CREAT | O_EXCL`, atomic on local file systems and
 * NFSv3+), holding the owner's process id, host name and (on Linux) start time. It dies with
 * its process: a lock whose process no longer runs on this host (or whose id now belongs to a
 * process started at another time) is stale and is taken over: takers go one at a time through
 * an exclusive guard file and remove the lock only if it still holds what they judged stale.
 */
export interface WriteLock {
  /** The lock file. */
  readonly file: string;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

/** Options of {@link acquireWriteLock} (tests shorten the wait). */
export interface LockOptions {
  /** How long to wait for a live writer, in milliseconds. @default 600000 */
  readonly timeoutMs?: number;
}

/** Thrown when another live process holds the lock for longer than the wait. */
export class LockTimeout extends Error {
  constructor(readonly owner: string, readonly lockFile: string) {
    super(`another synth (${owner}) is writing it`);
  }
}

/** The lock file of an output folder. */
export function lockFileOf(abs: string): string {
  return path.join(path.dirname(abs), `.${path.basename(abs)}.lock`);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * When a process started (Linux: field 22 of `/proc/<pid>/stat`), so that a process id reused
 * by an unrelated process after a crash is not taken for the lock's owner; undefined elsewhere.
 */
function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces: count from its end
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let ownStart: string | undefined | null = null;
function ownLockContent(): string {
  if (ownStart === null) ownStart = startTime(process.pid);
  return `${process.pid}\n${os.hostname()}\n${ownStart ?? ''}\n`;
}

/** True when the process that wrote `content` is known to be gone. */
export function isStale(content: string): boolean {
  const [pidText, host, started] = content.split('\n');
  const pid = Number(pidText);
  // an empty or garbled lock: its writer died between creating and filling it
  if (!Number.isInteger(pid) || pid <= 0) return true;
  // another host's process cannot be checked from here: it is live until someone removes the lock
  if (host !== undefined && host !== '' && host !== os.hostname()) return false;
  if (pid === process.pid) return true; // this process holds no lock while it asks (writes are synchronous)
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // alive: the owner, unless its id now belongs to a process started at another time
  const now = started ? startTime(pid) : undefined;
  return now !== undefined && now !== started;
}

function describeOwner(content: string): string {
  const [pid, host] = content.split('\n');
  return `process ${pid || '?'} on ${host || 'this host'}`;
}

function readQuietly(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Waits for and takes the lock of output folder `abs`. Throws {@link LockTimeout} after the wait. */
export function acquireWriteLock(abs: string, options: LockOptions = {}): WriteLock {
  const file = lockFileOf(abs);
  const mine = ownLockContent();
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let pause = 5;
  for (;;) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      return {
        file,
        release: () => {
          if (readQuietly(file) === mine) fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const seen = readQuietly(file);
    if (seen === undefined) continue; // released meanwhile
    if (isStale(seen) && takeOver(file, seen)) continue;
    if (Date.now() >= deadline) throw new LockTimeout(describeOwner(seen), file);
    sleep(pause);
    pause = Math.min(pause * 2, 100);
  }
}

/**
 * Removes a stale lock whose content was `seen`; false when it could not (yet). Takers of stale
 * locks go one at a time, through a guard file (`<lock>.takeover`, created exclusively): under
 * it, the lock is read again and removed only when it still holds what was judged stale. Moving a
 * lock aside and back instead (as an earlier version did) could remove a live owner's lock for a
 * moment, letting a third process in while the owner wrote: two writers, and the new one's
 * recovery deleting the other's staging folder.
 */
function takeOver(file: string, seen: string): boolean {
  const guard = `${file}.takeover`;
  try {
    fs.writeFileSync(guard, ownLockContent(), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // another process is taking over (for a moment); a guard left by a process that died is removed
    const held = readQuietly(guard);
    if (held !== undefined && isStale(held) && oldEnough(guard, held)) removeIfStill(guard, held);
    return false;
  }
  try {
    if (readQuietly(file) !== seen) return true; // changed meanwhile: look again
    if (!oldEnough(file, seen)) return false;
    fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/**
 * An empty or garbled file may be one a live process has just created and not yet filled: it
 * counts as stale only after a few seconds.
 */
function oldEnough(file: string, content: string): boolean {
  if (Number.isInteger(Number(content.split('\n')[0])) && Number(content.split('\n')[0]) > 0) return true;
  try {
    return Date.now() - fs.statSync(file).mtimeMs > 5000;
  } catch {
    return false;
  }
}

/** Removes a dead process's guard when it still holds `held` (moved aside first, and put back if it changed). */
function removeIfStill(file: string, held: string): void {
  const aside = `${file}.stale-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return;
  }
  if (readQuietly(aside) !== held) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // a new guard exists already: its owner goes on
    }
  }
  fs.rmSync(aside, { force: true });
}

/** True while `lock` is still this process's (checked before the output is changed). */
export function stillHeld(lock: WriteLock): boolean {
  return readQuietly(lock.file) === ownLockContent();
}
