import type { QueryResult } from '../engine.js';
import type { PgliteWorker } from './worker-client.js';

export const TRIGRAM_ATTEMPTS = 16;

/**
 * With pg_trgm and pgcrypto registered in one PGlite 0.5.16 instance, some instances (about half, measured) answer
 * `'keel' % 'keel'` with no row and then spin forever on the next query — whichever library is loaded first, even
 * when pgcrypto is never called. The state is fixed at start-up, so each instance is probed once, in a transaction
 * that is rolled back (pg_trgm may not be installed yet), before anything else runs on it. A broken instance is
 * never queried again: it is terminated and a new one started.
 */
export async function trigramsWork(w: PgliteWorker): Promise<boolean> {
  try {
    await w.call(
      { op: 'exec', sql: 'begin; create schema keel_probe; create extension if not exists pg_trgm with schema keel_probe' },
      30_000,
    );
    const { rows } = await w.call<QueryResult<{ schema: string }>>(
      { op: 'query', sql: `select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'` },
      30_000,
    );
    const schema = rows[0]!.schema.replace(/"/g, '""');
    const probe = await w.call<QueryResult<{ ok: boolean }>>(
      { op: 'query', sql: `select 'keel'::text operator("${schema}".%) 'keel'::text as ok` },
      30_000,
    );
    if (probe.rows[0]?.ok !== true) return false;
    await w.call({ op: 'exec', sql: 'rollback' }, 30_000);
    return true;
  } catch {
    return false; // a timeout (the spin) or an error: either way this instance is not to be trusted
  }
}
