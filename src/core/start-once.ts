import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from './process.js';

export interface StartOnceOptions<T> {
  /** The lock file: created exclusively (`wx`) holding the starter's pid, removed when it is done. */
  lockFile: string;
  /** Give up waiting for another process's start after this long. */
  timeoutMs: number;
  /** What is running now, if anything. */
  running: () => T | undefined | Promise<T | undefined>;
  /** Starts it; called holding the lock, only when `running` found nothing. */
  start: () => Promise<T>;
  /** The error when another process held the lock past the timeout (its pid, 0 if unknown). */
  timedOut: (holder: number) => Error;
}

/**
 * Starts a per-project background process at most once, however many processes ask at the same time: one takes the
 * lock file and starts it, the others wait until `running` finds it. A lock whose holder died is taken over.
 *
 * @example
 * const state = await startOnce({ lockFile: `${dir}.start.lock`, timeoutMs: 60_000, running, start, timedOut });
 */
export async function startOnce<T>(o: StartOnceOptions<T>): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(o.lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      fd = undefined;
    }
    if (fd !== undefined) {
      try {
        return (await o.running()) ?? (await o.start()); // started by another process between its check and ours?
      } finally {
        fs.rmSync(o.lockFile, { force: true });
      }
    }
    const now = await o.running();
    if (now) return now;
    let holder: number;
    try {
      holder = Number(fs.readFileSync(o.lockFile, 'utf8').trim() || 0);
    } catch {
      continue; // released meanwhile
    }
    if (holder > 0 && !isProcessAlive(holder)) fs.rmSync(o.lockFile, { force: true });
    if (Date.now() > deadline) throw o.timedOut(holder);
    await sleep(25);
  }
}
