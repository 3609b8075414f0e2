import type { Engine, Queryable } from '../../db/engine.js';
import { KeelError } from '../../core/errors.js';
import { compareHistory, type Comparison } from './compare.js';
import { executeFile } from './execute.js';
import type { SqlFile } from '../../core/project/files.js';
import {
  mergeStates,
  readDeclarativeRecords,
  sharesTarget,
  readTargetStates,
  recordDeclarative,
  targetState,
  type DeclarativeTargets,
} from './declarative-state.js';
import { ensureHistoryTables, readHistory, readSeedHashes, recordMigration, recordSeed } from './history.js';
import { factsOf } from './file-facts.js';
import type { LoadedFile, LoadedMigration, PreparedMigration } from './load.js';
import type { PreparedFile } from './run-file.js';

/** Runs `fn` in a transaction: its own per file (migrate), or one shared by the whole run (reset). */
export type TxRunner = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

export interface RunSettings {
  engine: Engine;
  /** Where reads go: the engine, or the shared transaction when the whole run is one (reset). */
  db: Queryable;
  runTx: TxRunner;
  toolVersion: string;
  /** Statements run at the start of every transaction (the shim's search_path), since a pooler may switch sessions. */
  preamble?: string;
  onFile?: (event: FileOutcome) => void;
}

export interface FileOutcome {
  kind: 'migration' | 'role' | 'policy' | 'seed';
  file: string;
  version?: string;
  status: 'applied' | 'skipped' | 'would-apply' | 'unchanged';
  statements: number;
  durationMs: number;
}

/** A file to run: prepared already (reset, which runs them all), or loaded and prepared when it is to run (migrate). */
export type RunnableFile = PreparedFile | LoadedFile;

/** The loaded form of either: what is known of the file, and its preparation on demand. */
function loaded(f: RunnableFile): LoadedFile {
  if ('prepare' in f) return f;
  return { file: f.file, facts: factsOf(f), prepare: () => Promise.resolve(f) };
}

/** Stops with every drifted file named: an applied file edited since, or applied versions with no local file. */
export function assertNoDrift(cmp: Comparison): void {
  const problems = [
    ...cmp.changed.map((c) => `${c.file} was edited after it was applied (sha256 differs from the one recorded)`),
    ...cmp.missing.map(
      (m) =>
        `version ${m.version}${m.name ? ` (${m.name})` : ''} is applied in the database but has no local file${cmp.newerInDb.includes(m.version) ? ' and is newer than every local file' : ''}`,
    ),
  ];
  if (problems.length === 0) return;
  throw new KeelError(
    'KEEL_MIGRATION_DRIFT',
    `the database's migration history does not match supabase/migrations (${problems.length} problem${problems.length > 1 ? 's' : ''})`,
    {
      problems,
      hint: 'restore the original file and add a new migration for the change; or, if the database is right, run `keel migration repair <version> --status applied|reverted`',
    },
  );
}

/**
 * Applies pending migrations in version order, each file in one transaction together with its history rows. On a
 * server, each transaction first takes an advisory lock and re-reads the history, so two migrators never apply a file
 * twice, even through a transaction-mode pooler.
 *
 * @example
 * const outcomes = await applyMigrations(settings, sql.migrations, { to: '003' });
 */
export async function applyMigrations(
  s: RunSettings,
  migrations: (PreparedMigration | LoadedMigration)[],
  opts: { to?: string; dryRun?: boolean } = {},
): Promise<FileOutcome[]> {
  const local = migrations.map((m) => m.migration);
  if (opts.to !== undefined) assertVersionExists(local, opts.to);
  if (!opts.dryRun) await s.runTx((tx) => ensureHistoryTables(tx));
  const cmp = compareHistory(local, await readHistory(s.db));
  assertNoDrift(cmp);
  const pendingKeys = new Set(cmp.pending.map((p) => p.version));
  const stopAfter = opts.to === undefined ? undefined : lastIndexUpTo(local, opts.to);
  // Only the files to apply are parsed and planned, all of them before the first runs.
  const toApply = migrations.filter((m, i) => (stopAfter === undefined || i <= stopAfter) && pendingKeys.has(m.migration.version));
  const prepared = await Promise.all(toApply.map((m) => ('prepare' in m ? m.prepare() : Promise.resolve(m))));
  const outcomes: FileOutcome[] = [];
  for (const [i, { migration }] of toApply.entries()) {
    const m = { ...prepared[i]!, migration };
    const base = { kind: 'migration' as const, file: m.file.file, version: m.migration.version, statements: m.statements.length };
    if (opts.dryRun) {
      outcomes.push({ ...base, status: 'would-apply', durationMs: 0 });
      continue;
    }
    const started = performance.now();
    const applied = await executeFile(s, m, {
      version: m.migration.version,
      finish: (tx) =>
        recordMigration(tx, {
          version: m.migration.version,
          name: m.migration.name,
          statements: m.statements.map((st) => st.sql),
          sha256: m.file.sha256,
          durationMs: performance.now() - started,
          toolVersion: s.toolVersion,
        }),
    });
    const outcome: FileOutcome = { ...base, status: applied ? 'applied' : 'skipped', durationMs: performance.now() - started };
    outcomes.push(outcome);
    s.onFile?.(outcome);
  }
  return outcomes;
}

/**
 * Applies idempotent declarative files (roles/, then policies/), each in its own transaction, in name order. A file
 * unchanged since it last ran (same sha256) whose targets are still as it left them (see declarativeTargets: the
 * policies, RLS flags and grants of its tables, its functions) is skipped as `unchanged`: running it again would change
 * nothing, and a project of a thousand policy files would otherwise pay for all of them on every migrate. States are
 * re-read after a file has run, so a file is never skipped on the strength of a state an earlier file has changed.
 */
export async function applyDeclarative(
  s: RunSettings,
  kind: 'role' | 'policy',
  files: RunnableFile[],
  opts: { dryRun?: boolean } = {},
): Promise<FileOutcome[]> {
  const records = await readDeclarativeRecords(s.db);
  const planned = files.map((file) => {
    const f = loaded(file);
    const targets = f.facts.targets ?? undefined;
    return { file: f, targets, checkable: targets !== undefined && records.get(f.file.file)?.sha256 === f.file.sha256 };
  });
  let states: Map<string, string> | undefined;
  // Targets of the checkable files that ran since the states were read: only their states can have changed.
  let stale: DeclarativeTargets = { tables: [], functions: [] };
  const outcomes: FileOutcome[] = [];
  const applied: { file: SqlFile; targets: DeclarativeTargets }[] = [];
  for (const [i, { file: f, targets, checkable }] of planned.entries()) {
    const started = performance.now();
    const base = { kind, file: f.file.file, statements: f.facts.statements };
    if (checkable && targets) {
      states ??= await readTargetStates(
        s.db,
        planned.slice(i).flatMap((p) => (p.checkable && p.targets ? [p.targets] : [])),
      );
      if (sharesTarget(targets, stale)) {
        states = mergeStates(states, stale, await readTargetStates(s.db, [stale]));
        stale = { tables: [], functions: [] };
      }
      if (records.get(f.file.file)?.state === targetState(targets, states)) {
        outcomes.push({ ...base, status: 'unchanged', durationMs: 0 });
        continue;
      }
    }
    if (!opts.dryRun) {
      await executeFile(s, await f.prepare());
      // A checkable file changes only its own targets (a policy, a grant, a function's definition run nothing);
      // any other file may have changed every target.
      if (targets) stale = { tables: [...stale.tables, ...targets.tables], functions: [...stale.functions, ...targets.functions] };
      else states = undefined;
      if (targets) applied.push({ file: f.file, targets });
    }
    const outcome: FileOutcome = { ...base, status: opts.dryRun ? 'would-apply' : 'applied', durationMs: performance.now() - started };
    outcomes.push(outcome);
    s.onFile?.(outcome);
  }
  if (applied.length > 0) await s.runTx((tx) => recordDeclarative(tx, applied));
  return outcomes;
}

/** Runs seed files in order; a file whose hash is recorded unchanged is skipped unless `force`. */
export async function applySeeds(
  s: RunSettings,
  files: RunnableFile[],
  opts: { force?: boolean; dryRun?: boolean } = {},
): Promise<FileOutcome[]> {
  const done = opts.force ? new Map<string, string>() : await readSeedHashes(s.db);
  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    const f = loaded(file);
    const started = performance.now();
    const base = { kind: 'seed' as const, file: f.file.file, statements: f.facts.statements };
    if (done.get(f.file.file) === f.file.sha256) {
      outcomes.push({ ...base, status: 'unchanged', durationMs: 0 });
      continue;
    }
    if (!opts.dryRun) {
      await executeFile(s, await f.prepare(), {
        finish: async (tx) => {
          await ensureHistoryTables(tx);
          await recordSeed(tx, f.file.file, f.file.sha256);
        },
      });
    }
    const outcome: FileOutcome = { ...base, status: opts.dryRun ? 'would-apply' : 'applied', durationMs: performance.now() - started };
    outcomes.push(outcome);
    s.onFile?.(outcome);
  }
  return outcomes;
}

/**
 * `--to V`: the index of the last file to apply, in the order the files run. The file whose version is V (as written,
 * or the same number: `--to 2` is `002`) and everything before it; with no such file, the files whose version is
 * numerically at most V. (Comparing the typed V as text would put `--to 2` after `003`.)
 */
/**
 * `--to` names a migration the project has (as `supabase db reset --version` requires its file): a version with no
 * file is a typo more often than a boundary, and applying everything would be the opposite of what was asked.
 * Version 0 (`--to 0`, `000`) is the one boundary allowed: nothing is applied.
 */
function assertVersionExists(files: readonly { version: string }[], to: string): void {
  const num = /^\d+$/.test(to) ? BigInt(to) : undefined;
  if (num === 0n) return; // --to 0: before the first file (the history tables, no migration)
  if (files.some((f) => f.version === to || (num !== undefined && BigInt(f.version) === num))) return;
  const versions = files.map((f) => f.version);
  throw new KeelError('KEEL_BAD_OPTION', `--to ${to}: no migration in supabase/migrations has that version`, {
    hint: versions.length
      ? `choose one of the versions (${versions.length > 6 ? `${versions.slice(0, 3).join(', ')}, …, ${versions.slice(-3).join(', ')}` : versions.join(', ')}); keel migration list shows them all`
      : 'the project has no migrations yet',
  });
}

function lastIndexUpTo(files: readonly { version: string }[], to: string): number {
  const num = /^\d+$/.test(to) ? BigInt(to) : undefined;
  const exact = files.findIndex((f) => f.version === to || (num !== undefined && BigInt(f.version) === num));
  if (exact >= 0) return exact;
  let last = -1;
  files.forEach((f, i) => {
    if (num !== undefined && BigInt(f.version) <= num) last = i;
  });
  return last;
}
