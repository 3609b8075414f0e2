/**
 * Runs one prepared file on the engine: its parts (a file split at a COMMIT after `ALTER TYPE … ADD VALUE`) each in a
 * transaction of their own, or a `-- keel:no-transaction` file's units; and undoes the session state the file set
 * before the next file runs (the Supabase CLI sends `RESET ALL` between files).
 */
import { KeelError } from '../../core/errors.js';
import type { Statement } from '../../core/sql/split.js';
import { withPlatformExtensions } from '../../db/extensions/resolve.js';
import type { Queryable } from '../../db/engine.js';
import { reapplyTransactionSettings } from '../../db/transaction-settings.js';
import type { RunSettings } from './apply.js';
import { MIGRATION_LOCK_KEY, isApplied } from './history.js';
import { runInTransaction, runOne, type PreparedFile } from './run-file.js';

export interface ExecuteOptions {
  /** Migrations: the version whose history row `finish` writes; taken under the migration lock, skipped if applied. */
  version?: string;
  /** Runs in the transaction of the file's last part (a no-transaction file: a transaction after it): history rows. */
  finish?: (tx: Queryable) => Promise<void>;
}

/** Does the run share one transaction (reset with no file that needs a commit)? Then `db` is that transaction. */
function shared(s: RunSettings): boolean {
  return s.db !== s.engine;
}

async function send(s: RunSettings, tx: Queryable, f: PreparedFile, statements: Statement[]): Promise<void> {
  const resolved = await withPlatformExtensions(tx, s.engine, { file: f.file, statements });
  await runInTransaction(tx, f.file, resolved.statements);
}

/**
 * What the session must look like before the next file, whatever this file did to it (a `set role` or `set session
 * characteristics as transaction read only` at the top level, in a DO block or in a function it called): the session
 * authorization and role back to the login's, every setting back to the session's defaults (`RESET ALL`, which the
 * Supabase CLI sends before each file; it leaves the role and the session authorization alone, so Keel resets those
 * first), then Keel's own transaction settings again (the shim's search_path, the secrets key), which `RESET ALL`
 * clears too and which the next file needs when the whole run shares one transaction. Run in the file's last
 * transaction, so it commits with the file (a failing file rolls back what it set anyway).
 *
 * PGlite's `RESET SESSION AUTHORIZATION` (and `DISCARD ALL`) keeps the session user a file set, as its single-user
 * backend has no login to go back to; naming the bootstrap superuser (oid 10, PGlite's only login) does it.
 */
function sessionReset(s: RunSettings): string {
  const auth =
    s.engine.kind === 'pglite'
      ? `do $keel$ declare login name := (select rolname from pg_catalog.pg_roles where oid = 10); begin if session_user <> login then execute pg_catalog.format('set session authorization %I', login); end if; end $keel$`
      : 'reset session authorization';
  return [auth, 'reset role', 'reset all', ...(s.preamble ? [s.preamble] : []), 'set local role none'].join(';\n');
}

/**
 * The session reset (see sessionReset), then `finish`: before the history row, so a `set role` in the file cannot
 * block it; and `set local role none`, so neither can a role the file set for the transaction
 * (`set_config('role', …, true)` in a block whose END the CLI would have committed).
 */
async function close(s: RunSettings, tx: Queryable, finish?: (tx: Queryable) => Promise<void>): Promise<void> {
  await tx.exec(sessionReset(s));
  await reapplyTransactionSettings(s.engine, tx);
  await finish?.(tx);
}

/**
 * Runs the file; false when another migrator applied `version` first (nothing ran).
 *
 * @example
 * await executeFile(settings, prepared, { version: '003', finish: (tx) => recordMigration(tx, …) });
 */
export async function executeFile(s: RunSettings, f: PreparedFile, opts: ExecuteOptions = {}): Promise<boolean> {
  if (f.noTransaction) {
    await runUnits(s, f);
    await s.runTx(async (tx) => {
      if (s.preamble) await tx.exec(s.preamble);
      await close(s, tx, opts.finish);
    });
    return true;
  }
  const lock = opts.version !== undefined && s.engine.capabilities.advisoryLocks;
  const parts = async (lockFirst: boolean): Promise<boolean> => {
    for (let i = 0; i < f.segments.length; i++) {
      const last = i === f.segments.length - 1;
      const ran = await s.runTx(async (tx) => {
        if (s.preamble) await tx.exec(s.preamble);
        if (lockFirst && i === 0) {
          await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
          if (await isApplied(tx, opts.version!)) return false; // another migrator got here first
        }
        try {
          await send(s, tx, f, f.segments[i]!);
        } catch (err) {
          throw i > 0 && !shared(s) ? partlyApplied(f, i, err) : err;
        }
        if (last) await close(s, tx, opts.finish);
        return true;
      });
      if (!ran) return false;
    }
    return true;
  };
  if (f.segments.length === 1 || !lock || shared(s)) return parts(lock);
  // A file committed in parts, on a server: one transaction holds the migration lock until the last part commits, so
  // a second migrator waits instead of finding the version pending between two parts.
  return s.engine.transaction(async (holder) => {
    await holder.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    if (await isApplied(holder, opts.version!)) return false;
    return parts(false);
  });
}

/** A no-transaction file: each unit in its own transaction with the preamble, or bare when Postgres requires it. */
async function runUnits(s: RunSettings, f: PreparedFile): Promise<void> {
  for (const unit of f.units) {
    const stmt = unit.statements[0];
    if (unit.bare && stmt) {
      await runOne(s.db, f.file, stmt);
      continue;
    }
    try {
      await s.runTx(async (tx) => {
        if (s.preamble) await tx.exec(s.preamble);
        if (unit.rollback) await tx.exec('savepoint keel_rollback');
        await send(s, tx, f, unit.statements);
        if (unit.rollback) await tx.exec('rollback to savepoint keel_rollback');
      });
    } catch (err) {
      // 25001: a statement the parse tree did not flag refuses to run in a transaction block; send it bare
      if (!(err instanceof KeelError && err.sqlState === '25001' && unit.statements.length === 1 && stmt)) throw err;
      await runOne(s.db, f.file, stmt);
    }
  }
}

/** A failure in a later part of a split file: the parts before it are committed; say so, and how to go on. */
function partlyApplied(f: PreparedFile, part: number, err: unknown): unknown {
  if (!(err instanceof KeelError)) return err;
  const commit = f.splits[part - 1]!;
  const note = `${f.file.file} was committed in parts (it commits at ${f.splits.map((s) => `line ${s.line}`).join(', ')}, after ALTER TYPE … ADD VALUE); everything up to line ${commit.line} is applied and stays applied, as with the Supabase CLI, but the file is not recorded as applied`;
  return new KeelError(err.code, err.message, {
    location: err.location,
    excerpt: err.excerpt,
    sqlState: err.sqlState,
    detail: [err.detail, note].filter(Boolean).join('\n'),
    hint: `${err.hint ? `${err.hint}; then ` : ''}fix the statement and make the part before line ${commit.line} safe to run again (e.g. \`add value if not exists\`) before migrating again; or finish the file by hand and run \`keel migration repair ${migrationVersion(f)} --status applied\``,
    cause: err,
  });
}

function migrationVersion(f: PreparedFile): string {
  return /^(\d+)_/.exec(f.file.file.split('/').at(-1) ?? '')?.[1] ?? '<version>';
}
