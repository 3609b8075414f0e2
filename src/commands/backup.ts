/**
 * `keel db backup`, `keel db backup prune` and `keel db restore`.
 */
import { databaseUrl } from '../db/url.js';
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import type { Project } from '../core/project/layout.js';
import type { Engine } from '../db/engine.js';
import { defaultBackupName, type BackupType, type Manifest } from '../features/backup/format.js';
import { appendBackupHistory, HISTORY_FILE } from '../features/backup/history.js';
import { describeFsError, isFsError } from '../core/fs.js';
import { checkBackupOutput } from '../features/backup/output.js';
import { pruneBackups, type PruneResult } from '../features/backup/prune.js';
import {
  restoreBackup,
  type RestoreOptions as RestoreFeatureOptions,
  type RestoreResult as RestoreFeatureResult,
} from '../features/backup/restore.js';
import { checkJobs } from '../features/backup/jobs.js';
import { verifyBackup } from '../features/backup/verify.js';
import { writeBackup, type BackupProgress } from '../features/backup/write.js';
import { loadProject, withEngine, type CommonOptions } from './context.js';
import { readHistory } from '../features/migrate/history.js';
import type { MigrationFile } from '../core/project/files.js';

export type { BackupProgress } from '../features/backup/write.js';
export type { Manifest as BackupManifest } from '../features/backup/format.js';

export interface BackupOptions extends CommonOptions {
  schemaOnly?: boolean;
  dataOnly?: boolean;
  /** Only these tables' data (`schema.table`, or `table` in any schema); repeatable on the CLI. */
  tables?: string[];
  excludeTables?: string[];
  /** Folder to write (relative to the project root); default `supabase/backups/<UTC timestamp>_<type>.keel`. */
  output?: string;
  onProgress?: (e: BackupProgress) => void;
  /** Append a line to docs/backup-history.md (default true). */
  history?: boolean;
  /** Words for the history line's type column, e.g. `before keel db migrate`. */
  note?: string;
  /** Rows per COPY page on PGlite. */
  pageRows?: number;
  /** The backup's time (default now): names the folder and is `createdAt`. */
  now?: Date;
  /** Tables copied at once over this many connections sharing one snapshot (a server; PGlite runs 1, with a note). */
  jobs?: number;
}

export interface BackupResult {
  path: string;
  type: BackupType;
  target: string;
  engine: string;
  tables: { table: string; rows: number; bytes: number }[];
  rows: number;
  bytes: number;
  durationMs: number;
  /** docs/backup-history.md, when a line was appended. */
  historyFile?: string;
  manifest: Manifest;
  /** What ran otherwise than asked (`--jobs` on PGlite). */
  notes: string[];
}

/**
 * `keel db backup`: full (default), `schemaOnly` or `dataOnly`, read in one snapshot and written atomically.
 *
 * @example
 * const r = await backup({ cwd: 'examples/scalemate' });
 * r.path; // …/supabase/backups/20261122T201530Z_full.keel
 */
export async function backup(opts: BackupOptions = {}): Promise<BackupResult> {
  if (opts.schemaOnly && opts.dataOnly)
    throw new KeelError('KEEL_BAD_OPTION', '--schema-only and --data-only cannot be combined', {
      hint: 'leave both out for a full backup',
    });
  checkJobs(opts.jobs);
  const project = projectOrNone(opts, 'keel db backup');
  // Where it goes is checked before the database is opened: a path under a file, too long or unreadable fails at once.
  const now = opts.now ?? new Date();
  const output = backupPath(project, opts, opts.schemaOnly ? 'schema' : opts.dataOnly ? 'data' : 'full', now);
  checkBackupOutput(output);
  return withEngine(project, { ...opts, command: 'keel db backup', secrets: false }, (engine) =>
    backupOn(engine, project, { ...opts, now, output }),
  );
}

/**
 * The project at `cwd`, or null when there is none and the command names a database by URL: backup and restore work
 * outside a project, as pg_dump and pg_restore do. Without a project there is no embedded database to fall back on.
 */
function projectOrNone(opts: CommonOptions, command: string): Project | null {
  try {
    return loadProject(opts);
  } catch (err) {
    if (!(err instanceof KeelError) || err.code !== 'KEEL_NO_PROJECT') throw err;
    if (databaseUrl(opts)) return null;
    throw new KeelError('KEEL_NO_PROJECT', `${err.message}, and no database URL`, {
      hint: `outside a project, name the database: ${command} --db-url postgres://… (or set DATABASE_URL); else run it from the folder that holds supabase/, or pass --cwd <dir>`,
    });
  }
}

/**
 * The backup itself, on an open engine (also what `keel db migrate` runs before changing a remote database). Without
 * a project (`null`) the folder goes under the current directory (or `output`) and no history line is written.
 */
export async function backupOn(engine: Engine, project: Project | null, opts: BackupOptions = {}): Promise<BackupResult> {
  const type: BackupType = opts.schemaOnly ? 'schema' : opts.dataOnly ? 'data' : 'full';
  const now = opts.now ?? new Date();
  const out = backupPath(project, opts, type, now);
  const r = await writeBackup(engine, {
    type,
    path: out,
    tables: opts.tables,
    excludeTables: opts.excludeTables,
    onProgress: opts.onProgress,
    pageRows: opts.pageRows,
    now,
    jobs: opts.jobs,
  });
  let historyFile: string | undefined;
  try {
    historyFile =
      opts.history === false || !project
        ? undefined
        : appendBackupHistory(path.resolve(project.root), r.path, r.manifest, r.bytes, opts.note);
  } catch (err) {
    if (!isFsError(err)) throw err;
    throw new KeelError(
      'KEEL_BACKUP_HISTORY',
      `the backup ${r.path} is complete, but ${path.join(project!.root, HISTORY_FILE)} could not be updated: ${describeFsError(err)}`,
      {
        hint: 'the backup itself is fine (keel db restore reads it); fix the permissions of docs/ (the library option `history: false` skips the line)',
        cause: err,
      },
    );
  }
  const tables = r.manifest.tables.map((t) => ({ table: `${t.schema}.${t.name}`, rows: t.rows, bytes: t.bytes }));
  return {
    path: r.path,
    type,
    target: engine.target,
    engine: engine.kind,
    tables,
    rows: tables.reduce((n, t) => n + t.rows, 0),
    bytes: r.bytes,
    durationMs: r.durationMs,
    ...(historyFile && { historyFile }),
    manifest: r.manifest,
    notes: r.notes,
  };
}

/** Most backups one second may get: `…_full.keel`, then `…_full-2.keel` … `…_full-100.keel`. */
const SAME_SECOND_MAX = 100;

/**
 * Where the backup goes: `output` (relative to the project root, or the current folder without a project), else
 * `<backups>/<UTC timestamp>_<type>.keel`. Two backups in the same second: the second gets a counter (`…_full-2.keel`)
 * rather than an error; the search is bounded, and a name it cannot check (lstat fails for a reason other than "no
 * such file") is returned as is for writeBackup to report.
 */
function backupPath(project: Project | null, opts: BackupOptions, type: BackupType, now: Date): string {
  const root = project?.root ?? path.resolve(opts.cwd ?? process.cwd());
  if (opts.output) return path.resolve(root, opts.output);
  const dir = project?.backupsDir ?? root;
  const first = defaultBackupName(now, type);
  for (let n = 1; n <= SAME_SECOND_MAX; n++) {
    const out = path.resolve(dir, n === 1 ? first : first.replace(/\.keel$/, `-${n}.keel`));
    if (!taken(out)) return out;
  }
  throw new KeelError(
    'KEEL_BACKUP_EXISTS',
    `${SAME_SECOND_MAX} backups named ${path.join(dir, first.replace(/\.keel$/, '*.keel'))} already exist`,
    {
      hint: 'wait a second, or pass --output <folder>',
    },
  );
}

/** Something has that name. An lstat error (ENOTDIR, EACCES, …) ends the search too: writeBackup reports it. */
function taken(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Seed 000's "automatic on schema migration": before `keel db migrate`/`db push` changes a database that is not local
 * and has pending migrations, a full backup (logged in docs/backup-history.md). Skipped for local databases, dry runs
 * and `noBackup`. The backup opens its own connection: its snapshot transaction must start with SET TRANSACTION.
 */
export async function backupBeforeMigrate(
  engine: Engine,
  project: Project,
  sql: { migrations: readonly { migration: Pick<MigrationFile, 'version'> }[] },
  opts: CommonOptions & { noBackup?: boolean; dryRun?: boolean },
): Promise<{ path: string; bytes: number; durationMs: number } | undefined> {
  if (engine.capabilities.local || opts.noBackup || opts.dryRun) return undefined;
  const applied = new Set((await readHistory(engine)).map((h) => h.version));
  if (!sql.migrations.some((m) => !applied.has(m.migration.version))) return undefined;
  const r = await backup({ cwd: project.root, dbUrl: opts.dbUrl, memory: opts.memory, env: opts.env, note: 'before keel db migrate' });
  return { path: r.path, bytes: r.bytes, durationMs: r.durationMs };
}

export interface BackupPruneOptions extends CommonOptions {
  keep?: number;
  olderThan?: string;
  /** Folder holding the backups (relative to the project root); default `supabase/backups`. */
  dir?: string;
  dryRun?: boolean;
}

/**
 * `keel db backup prune`: removes complete backups beyond the newest `keep` and/or older than `olderThan`, and
 * interrupted `.partial-*` folders.
 *
 * @example
 * const r = backupPrune({ cwd: '.', keep: 10 });
 * r.removed.map((b) => b.path);
 */
export function backupPrune(opts: BackupPruneOptions): PruneResult {
  const project = loadProject(opts);
  const dir = opts.dir ? path.resolve(project.root, opts.dir) : path.resolve(project.backupsDir);
  return pruneBackups(dir, { keep: opts.keep, olderThan: opts.olderThan, dryRun: opts.dryRun });
}

export interface RestoreOptions extends CommonOptions, Omit<RestoreFeatureOptions, 'onProgress'> {
  onProgress?: RestoreFeatureOptions['onProgress'];
  /** Confirms `clean` on a database that is not local (it drops every user schema). */
  yes?: boolean;
}

export interface RestoreResult extends RestoreFeatureResult {
  backup: string;
  type: BackupType;
  target: string;
  engine: string;
  /** Source of the backup: engine, server version and time. */
  source: { engine: string; serverVersion: number; createdAt: string; migrationVersion: string | null };
  /**
   * Files whose sha256 was checked: schema.sql before it ran, each data file as it streamed into its COPY (before the
   * transaction committed). Every file's presence and size were checked before the database was opened.
   */
  verified: { files: number; bytes: number };
  rows: number;
  durationMs: number;
}

/**
 * `keel db restore <backup>`: checks the manifest and every file's size before opening the database, then restores it in
 * one transaction, checking each file's sha256 as it is loaded (a damaged file rolls the whole restore back).
 *
 * @example
 * await restore('supabase/backups/20261122T201530Z_full.keel', { cwd: '.', clean: true });
 */
export async function restore(backupPath: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const started = performance.now();
  const project = projectOrNone(opts, 'keel db restore <backup>');
  const root = project?.root ?? path.resolve(opts.cwd ?? process.cwd());
  const candidates = [path.resolve(root, backupPath), path.resolve(backupPath)];
  const dir = candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
  // The manifest, and every file's presence and size, before the database opens; the sha256s are checked as each file
  // streams into its COPY, before the restore's one transaction can commit (a damaged file rolls everything back).
  // With --jobs the data commits over several sessions, so every sha256 is checked first, before the database opens.
  const verified = await verifyBackup(dir, { checksums: checkJobs(opts.jobs) > 1 });
  const m = verified.manifest;
  return withEngine(project, { ...opts, command: 'keel db restore', extensions: m.extensions, secrets: false }, async (engine) => {
    if (opts.clean && !opts.yes && !engine.capabilities.local) {
      throw new KeelError('KEEL_CONFIRM', `refusing to restore with --clean into ${engine.target}: it is not a local database`, {
        hint: 'pass --yes to confirm that every user schema on it may be dropped first',
      });
    }
    const r = await restoreBackup(engine, verified.dir, m, opts);
    return {
      backup: verified.dir,
      type: m.type,
      target: engine.target,
      engine: engine.kind,
      source: { engine: m.engine, serverVersion: m.serverVersion, createdAt: m.createdAt, migrationVersion: m.migrationVersion },
      verified: checkedFiles(m, r),
      ...r,
      rows: r.tables.reduce((n, t) => n + t.rows, 0),
      durationMs: performance.now() - started,
    };
  });
}

/** schema.sql (when it ran) and the data files that were loaded, every one checksummed on the way in. */
function checkedFiles(m: Manifest, r: RestoreFeatureResult): { files: number; bytes: number } {
  const loaded = new Set(r.tables.map((t) => t.table));
  const files = [
    ...(r.schemaApplied && m.schemaSql ? [m.schemaSql.bytes] : []),
    ...m.tables.filter((t) => loaded.has(`${t.schema}.${t.name}`)).map((t) => t.bytes),
  ];
  return { files: files.length, bytes: files.reduce((a, b) => a + b, 0) };
}

/** `keel db backup --verify`-style check without a database: the manifest and every file's checksum. */
export async function verify(
  backupPath: string,
  opts: CommonOptions = {},
): Promise<{ backup: string; type: BackupType; files: number; bytes: number }> {
  // No database, so no project needed either.
  const root = fs.existsSync(path.join(path.resolve(opts.cwd ?? process.cwd()), 'supabase'))
    ? loadProject(opts).root
    : path.resolve(opts.cwd ?? process.cwd());
  const candidates = [path.resolve(root, backupPath), path.resolve(backupPath)];
  const v = await verifyBackup(candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!);
  return { backup: v.dir, type: v.manifest.type, files: v.files, bytes: v.bytes };
}
