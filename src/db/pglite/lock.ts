import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import { makeDirs } from '../../core/fs.js';
import { isProcessAlive } from '../../core/process.js';

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/**
 * An exclusive lock on an embedded data dir. Two processes opening one PGlite dir both succeed and one's writes are
 * lost, so the second must be refused with the holder named. A lock left by a dead process on this host is taken over.
 *
 * @example
 * const release = acquireDataDirLock('supabase/.keel/pglite', 'keel db migrate');
 * try { … } finally { release(); }
 */
export function acquireDataDirLock(dataDir: string, command: string): () => void {
  const file = `${dataDir}.lock`;
  makeDirs(path.dirname(file));
  const info: LockInfo = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
      const release = () => {
        process.removeListener('exit', release);
        try {
          const held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
          if (held.pid === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let held: LockInfo | undefined;
      try {
        held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        held = undefined; // unreadable or half-written: treat as stale
      }
      if (held && (held.host !== info.host || isProcessAlive(held.pid))) {
        throw new KeelError(
          'KEEL_DB_LOCKED',
          `the embedded database ${path.relative(process.cwd(), dataDir) || dataDir} is in use by process ${held.pid} on ${held.host} (${held.command}, since ${held.since})`,
          {
            hint: held.command.startsWith('keel engine host')
              ? `commands reach the engine host through its socket; this one could not: stop it (\`keel db stop\`, or kill ${held.pid}) and retry`
              : `wait for that command to finish or stop it; if no such process runs, delete ${file}`,
          },
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new KeelError('KEEL_DB_LOCKED', `could not take the lock ${file}`, { hint: 'another process keeps taking it; retry' });
}
