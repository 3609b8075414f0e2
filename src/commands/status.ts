import { compareHistory, type MigrationStatus } from '../features/migrate/compare.js';
import { readHistory } from '../features/migrate/history.js';
import { listMigrations, type MigrationFile } from '../core/project/files.js';
import type { NameProblem } from '../core/project/migration-name.js';
import type { Project } from '../core/project/layout.js';
import { refusedMigrations } from '../features/migrate/load.js';
import { isRealSupabase } from '../db/shim/supabase-shim.js';
import { loadProject, withEngine, type CommonOptions } from './context.js';

export interface StatusResult {
  target: string;
  engine: string;
  serverVersion: string;
  supabase: boolean;
  applied: number;
  pending: number;
  changed: string[];
  missing: string[];
  newerInDb: string[];
  migrations: MigrationStatus[];
  /** Naming warnings for the files in supabase/migrations (skipped files included, each named). */
  warnings: string[];
  /**
   * Files `keel db migrate` would refuse, so it would apply nothing: two files with one version, a syntax error, a
   * `COPY … FROM STDIN`… One line each, with `file:line:col` where there is one. The CLI exits 1 when any.
   */
  refused: string[];
  /** True when nothing needs attention: no pending, changed or missing versions, and no refused file. */
  upToDate: boolean;
}

/**
 * `keel status` (and `keel migration list`): target, engine, server version, and each migration's state (applied,
 * pending, changed, missing).
 *
 * @example
 * const s = await status({ cwd: 'examples/scalemate' }); s.pending // 0
 */
export async function status(opts: CommonOptions = {}): Promise<StatusResult> {
  const project = loadProject(opts);
  const { migrations, problems } = listMigrations(project, { lenient: true });
  const refused = await refusedFiles(project, migrations, problems);
  return withEngine(project, { ...opts, command: 'keel status' }, async (engine) => {
    const cmp = compareHistory(migrations, await readHistory(engine));
    const { rows } = await engine.query<{ v: string }>('select version() as v');
    return {
      target: engine.target,
      engine: engine.kind,
      serverVersion: (rows[0]?.v ?? '').split(' on ')[0]!.split(',')[0]!,
      supabase: await isRealSupabase(engine),
      applied: cmp.entries.filter((e) => e.state === 'applied' || e.state === 'changed').length,
      pending: cmp.pending.length,
      changed: cmp.changed.map((c) => c.version),
      missing: cmp.missing.map((m) => m.version),
      newerInDb: cmp.newerInDb,
      migrations: cmp.entries,
      warnings: problems.filter((p) => p.level !== 'error').map((p) => `${p.message} [${p.rule}]`),
      refused,
      upToDate: cmp.pending.length === 0 && cmp.changed.length === 0 && cmp.missing.length === 0 && refused.length === 0,
    };
  });
}

/**
 * What `keel db migrate` refuses among the migration files, checked as migrate checks them: the naming errors (two
 * files with one version) and each file split and planned (syntax errors, `COPY … FROM STDIN`, misplaced transaction
 * control). Files that cannot be read or are not UTF-8 already stop the listing itself, as they stop migrate.
 */
async function refusedFiles(
  project: Project,
  migrations: MigrationFile[],
  problems: (NameProblem & { file: string })[],
): Promise<string[]> {
  const refused = problems.filter((p) => p.level === 'error').map((p) => `${p.message} [${p.rule}]`);
  for (const { file: m, error: err } of await refusedMigrations(project, migrations)) {
    const at = err.location ? `${err.location.file}:${err.location.line}:${err.location.column}` : m.file;
    refused.push(`${err.message.startsWith(at) ? err.message : `${at}: ${err.message}`} [${err.code}]`);
  }
  return refused;
}

export interface PingResult {
  target: string;
  engine: string;
  serverVersion: number;
  /** Median round trip of `select 1` over `samples` queries, in milliseconds. */
  latencyMs: number;
  samples: number;
}

/**
 * `keel db ping`: connects and measures the round trip of `select 1`.
 *
 * @example
 * const { latencyMs } = await ping({ dbUrl: process.env.DATABASE_URL });
 */
export async function ping(opts: CommonOptions & { samples?: number } = {}): Promise<PingResult> {
  const project = loadProject(opts);
  const samples = opts.samples ?? 5;
  return withEngine(project, { ...opts, command: 'keel db ping' }, async (engine) => {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      await engine.query('select 1');
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return {
      target: engine.target,
      engine: engine.kind,
      serverVersion: await engine.serverVersion(),
      latencyMs: Math.round(times[Math.floor(times.length / 2)]! * 100) / 100,
      samples,
    };
  });
}
