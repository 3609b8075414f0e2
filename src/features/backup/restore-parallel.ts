/**
 * `keel db restore --jobs N` on a server, after the first transaction (wipe, shim, checks, the schema without its
 * post-data part, the platform and history rows) has committed: the user tables' data over N sessions, then their
 * keys and indexes over N sessions, then the rest of the post-data part (foreign keys, views, triggers, RLS, grants) in
 * one transaction. As with `pg_restore -j`, several connections cannot share one transaction: every file's sha256 is
 * checked before the database is opened, and the data sessions commit only once every one of them has loaded all its
 * tables (one failure rolls them all back), but a failure after the first commit leaves a partial restore.
 */
import { KeelError, toDbError, DbError } from '../../core/errors.js';
import type { Engine, Transaction } from '../../db/engine.js';
import type { TableEntry } from './format.js';
import { loadTable } from './load-table.js';

/** What the first transaction left for the parallel phases. */
export interface ParallelWork {
  dir: string;
  /** User tables created by this restore (no triggers, keys or foreign keys yet), largest first. */
  loads: TableEntry[];
  /** schema.sql's post-data part. */
  postData: string;
  /** The shim's search_path, when the shim is installed. */
  preamble?: string;
  schemas: string[];
  batchBytes?: number;
  /** Runs last, in the final transaction (materialized view refreshes). */
  finish: (tx: Transaction) => Promise<void>;
  onTable?: (table: string, rows: number) => void;
}

/** Section titles of the post-data part whose statements are independent of each other (one table each). */
const PARALLEL_SECTIONS = ['primary keys and unique constraints', 'indexes'];

/**
 * Runs `fn` for every item over `jobs` workers (each with its own session), taking items from one queue in order.
 * The first failure stops the queue; every worker's session is given `settle(ok)` before it closes.
 */
async function overSessions<T>(
  engine: Engine,
  jobs: number,
  items: T[],
  o: {
    begin: (s: Transaction) => Promise<void>;
    each: (s: Transaction, item: T) => Promise<void>;
    settle?: (s: Transaction, ok: boolean) => Promise<void>;
  },
): Promise<void> {
  const queue = [...items];
  let failure: { err: unknown } | undefined;
  let pending = Math.min(jobs, queue.length);
  let allDone!: (ok: boolean) => void;
  const done = new Promise<boolean>((resolve) => (allDone = resolve));
  const arrive = () => {
    if (--pending === 0) allDone(!failure);
  };
  const worker = async () => {
    let arrived = false;
    try {
      await engine.session(async (s) => {
        try {
          await o.begin(s);
          for (let item = queue.shift(); item !== undefined && !failure; item = queue.shift()) await o.each(s, item);
        } catch (err) {
          failure ??= { err };
        } finally {
          arrived = true;
          arrive();
        }
        // Every session waits for the others before it settles: all commit, or none does.
        const ok = await done;
        if (o.settle) await o.settle(s, ok);
      });
    } catch (err) {
      failure ??= { err }; // the session could not open, or settling failed
      if (!arrived) arrive();
    }
  };
  await Promise.all(Array.from({ length: pending }, worker));
  if (failure) throw failure.err;
}

/**
 * The parallel phases (see the file comment). Resolves to the rows loaded per table; a failure is a
 * KEEL_RESTORE_FAILED that says the target now holds a partial restore.
 */
export async function restoreInParallel(engine: Engine, jobs: number, w: ParallelWork): Promise<{ table: string; rows: number }[]> {
  const loaded: { table: string; rows: number }[] = [];
  const settings = [w.preamble?.replace(/^set local /, 'set '), 'set check_function_bodies = off', 'set client_min_messages = warning']
    .filter(Boolean)
    .join('; ');
  try {
    await overSessions(engine, jobs, w.loads, {
      begin: async (s) => {
        await s.exec(`begin; ${settings}`);
      },
      each: async (s, t) => {
        const rows = await loadTable(engine, s, w.dir, t, { batchBytes: w.batchBytes });
        loaded.push({ table: `${t.schema}.${t.name}`, rows });
        w.onTable?.(`${t.schema}.${t.name}`, rows);
      },
      settle: async (s, ok) => {
        await s.exec(ok ? 'commit' : 'rollback');
      },
    });
    const { parallel, rest } = splitPostData(w.postData);
    // A partitioned table's index attaches its partitions' indexes: such schemas keep schema.sql's order.
    const inOrder = parallel.length > 0 && (await hasPartitions(engine, w.schemas));
    if (!inOrder && parallel.length) {
      await overSessions(engine, jobs, parallel, {
        begin: async (s) => s.exec(settings),
        each: async (s, sql) => s.exec(sql),
      });
    }
    await engine.transaction(async (tx) => {
      if (w.preamble) await tx.exec(w.preamble);
      await tx.exec(inOrder ? w.postData : rest);
      if (w.preamble) await tx.exec(w.preamble);
      await w.finish(tx);
    });
  } catch (err) {
    const e = toDbError(err);
    const why = e instanceof DbError || e instanceof KeelError ? e.message : String(err);
    throw new KeelError('KEEL_RESTORE_FAILED', `restore --jobs ${jobs} failed after its schema was committed: ${why}`, {
      sqlState: e instanceof DbError ? e.code : undefined,
      hint: '--jobs loads over several connections, which cannot share one transaction, so the target holds a partial restore: run it again with --clean (without --jobs a restore is all or nothing)',
      cause: err,
    });
  }
  const order = new Map(w.loads.map((t, i) => [`${t.schema}.${t.name}`, i]));
  return loaded.sort((a, b) => order.get(a.table)! - order.get(b.table)!);
}

/**
 * The post-data part cut into the statements of {@link PARALLEL_SECTIONS} (each one line ending in `;`, as
 * renderSchemaSql writes them) and the rest, in its order.
 */
export function splitPostData(post: string): { parallel: string[]; rest: string } {
  const parallel: string[] = [];
  let rest = post;
  for (const title of PARALLEL_SECTIONS) {
    const start = rest.indexOf(`\n\n-- ${title}\n`);
    if (start < 0) continue;
    const body = start + `\n\n-- ${title}\n`.length;
    const next = rest.indexOf('\n\n-- ', body);
    const end = next < 0 ? rest.length : next;
    const lines = rest.slice(body, end).split('\n');
    let stmt = '';
    for (const line of lines) {
      stmt = stmt ? `${stmt}\n${line}` : line;
      if (stmt.trimEnd().endsWith(';')) {
        parallel.push(stmt);
        stmt = '';
      }
    }
    if (stmt.trim()) return { parallel: [], rest: post }; // not as renderSchemaSql writes it: keep the file's order
    rest = rest.slice(0, start) + rest.slice(end);
  }
  return { parallel, rest };
}

async function hasPartitions(engine: Engine, schemas: string[]): Promise<boolean> {
  const { rows } = await engine.query<{ ok: boolean }>(
    `select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                     where n.nspname = any($1::text[]) and (c.relkind = 'p' or c.relispartition)) as ok`,
    [schemas],
  );
  return Boolean(rows[0]?.ok);
}
