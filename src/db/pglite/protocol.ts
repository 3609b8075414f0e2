import { DbError, KeelError, type DbErrorFields } from '../../core/errors.js';
import type { QueryResult } from '../engine.js';

/** Messages between the PGlite engine (main thread) and the worker thread that owns the PGlite instance. */
export interface WorkerInit {
  /** File-backed data dir; absent for an in-memory instance. */
  dataDir?: string;
  /** A tarball (from dumpDataDir) to start from when the data dir is new or the instance is in memory. */
  template?: Uint8Array;
  /** Contrib extensions to register, in order (pg_trgm before pgcrypto: see README, PGlite notes). */
  extensions: string[];
}

export type Call =
  | { op: 'query'; sql: string; params?: unknown[] }
  | { op: 'exec'; sql: string }
  /** `COPY <source> TO '/dev/blob'`: the reply is the data's bytes (their ArrayBuffer transferred, not copied). */
  | { op: 'copyOut'; source: string }
  /** `COPY <target> FROM '/dev/blob'` fed `data` (transferred by the caller); the reply is the number of rows copied. */
  | { op: 'copyIn'; target: string; data: Uint8Array }
  | { op: 'dump' }
  | { op: 'close' };

export type Request = Call & { id: number };

export type Response =
  | { id: number; ok: true; result?: QueryResult | Uint8Array | number }
  | { id: number; ok: false; error: DbErrorFields & { internal?: boolean; stack?: string } };

/** The error a failed reply stands for: a Postgres error as a DbError, a failure of PGlite itself as a KeelError. */
export function replyError(error: Extract<Response, { ok: false }>['error']): Error {
  if (error.internal) return new KeelError('KEEL_PGLITE', `embedded database failed: ${error.message}`, { detail: error.stack });
  return new DbError(error);
}
