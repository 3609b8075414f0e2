/**
 * `--jobs N`: how many sessions a backup or restore may use at once. A server takes many connections; PGlite has one
 * session (its COPY goes through `/dev/blob`, the capability that tells them apart), so there `--jobs` runs as 1 and
 * says so in a note.
 */
import { KeelError } from '../../core/errors.js';
import type { Engine } from '../../db/engine.js';

/**
 * The jobs `engine` can run for a request of `jobs` (a whole number ≥ 1), with a note when it runs fewer.
 *
 * @example
 * const { jobs, note } = effectiveJobs(engine, 2); // { jobs: 2 } on a server; { jobs: 1, note: '…' } on PGlite
 */
export function effectiveJobs(engine: Engine, jobs: number | undefined): { jobs: number; note?: string } {
  const wanted = checkJobs(jobs);
  if (wanted > 1 && engine.capabilities.copy !== 'stream')
    return { jobs: 1, note: `${engine.kind} has one session: --jobs ${wanted} ran as --jobs 1` };
  return { jobs: wanted };
}

/** `--jobs` as given: 1 when absent; a KEEL_BAD_OPTION for anything but a whole number from 1 to 64. */
export function checkJobs(jobs: number | string | undefined): number {
  if (jobs === undefined) return 1;
  const n = typeof jobs === 'number' ? jobs : /^\d+$/.test(jobs.trim()) ? Number(jobs) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new KeelError('KEEL_BAD_OPTION', `--jobs must be a whole number from 1 to 64, not "${String(jobs)}"`, {
      hint: 'keel db backup --jobs 2 (several tables at once, over that many connections)',
    });
  return n;
}
