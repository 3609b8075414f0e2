import type { DbErrorFields } from '../../core/errors.js';
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
  | { op: 'dump' }
  | { op: 'close' };

export type Request = Call & { id: number };

export type Response =
  | { id: number; ok: true; result?: QueryResult | Uint8Array }
  | { id: number; ok: false; error: DbErrorFields & { internal?: boolean; stack?: string } };
