import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import { listMigrations } from '../core/project/files.js';
import { detectStyle, nextVersion, type MigrationStyle } from '../core/project/migration-name.js';
import { rel } from '../core/project/layout.js';
import { deleteMigration, ensureHistoryTables, recordMigration } from '../features/migrate/history.js';
import { prepareFile } from '../features/migrate/run-file.js';
import { ensureParser } from '../core/sql/parser.js';
import { KEEL_VERSION } from '../version.js';
import { loadProject, withEngine, type CommonOptions } from './context.js';
import { makeDirs } from '../core/fs.js';

/** The longest file name most file systems take (ext4, APFS, NTFS: 255 bytes, or UTF-16 units, per name). */
const MAX_FILE_NAME_BYTES = 255;

export interface NewMigrationOptions extends CommonOptions {
  style?: MigrationStyle;
  /** Clock, for tests. */
  now?: Date;
  author?: string;
}

/**
 * `keel migration new <name>`: the next file in the project's style (config, else detected, else timestamp), with a
 * header block and a commented rollback section (seed 000).
 *
 * @example
 * const { file } = newMigration('add_teams_table', { cwd: '.' }); // supabase/migrations/007_add_teams_table.sql
 */
export function newMigration(name: string, opts: NewMigrationOptions = {}): { file: string; version: string } {
  const project = loadProject(opts);
  const clean = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const hint = 'use letters, digits and underscores: action_target, e.g. add_teams_table';
  const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name); // NUL and control characters escaped
  if (clean === '') throw new KeelError('KEEL_BAD_NAME', 'the migration name is empty', { hint: `keel migration new <name>: ${hint}` });
  if (/[/\\\0]/.test(name)) {
    const what = name.includes('\0') ? 'a NUL byte' : 'a path separator (/ or \\)';
    throw new KeelError('KEEL_BAD_NAME', `${shown} is not a usable migration name: it contains ${what}`, {
      hint: `the name becomes part of one file name in supabase/migrations; ${hint}`,
    });
  }
  if (!/^[a-z][a-z0-9_]*$/.test(clean)) throw new KeelError('KEEL_BAD_NAME', `${shown} is not a usable migration name`, { hint });
  const { migrations } = listMigrations(project, { lenient: true });
  const versions = migrations.map((m) => m.version);
  const style = opts.style ?? project.config.migrations.style ?? detectStyle(versions, 'timestamp');
  const now = opts.now ?? new Date();
  const version = nextVersion(versions, style, now);
  const base = `${version}_${clean}.sql`;
  if (Buffer.byteLength(base) > MAX_FILE_NAME_BYTES) {
    const room = MAX_FILE_NAME_BYTES - Buffer.byteLength(`${version}_.sql`);
    throw new KeelError(
      'KEEL_BAD_NAME',
      `the migration name is too long: ${base.length} bytes as a file name, and file names are limited to ${MAX_FILE_NAME_BYTES} bytes`,
      {
        hint: `use at most ${room} characters after the version (${version}_); a short action_target name says enough, e.g. add_teams_table`,
      },
    );
  }
  const file = path.join(project.migrationsDir, base);
  const body = [
    `-- Migration: ${version}_${clean}`,
    `-- Description: ${clean.replace(/_/g, ' ')}`,
    `-- Author: ${opts.author ?? process.env.GIT_AUTHOR_NAME ?? process.env.USER ?? 'unknown'}`,
    `-- Date: ${now.toISOString().slice(0, 10)}`,
    '',
    '',
    '',
    '/*',
    '-- Rollback for this migration (run by hand if needed):',
    '',
    '*/',
    '',
  ].join('\n');
  makeDirs(project.migrationsDir);
  fs.writeFileSync(file, body, { flag: 'wx' });
  return { file: rel(project, file), version };
}

export interface RepairOptions extends CommonOptions {
  status: 'applied' | 'reverted';
}

/**
 * `keel migration repair <version…> --status applied|reverted`: edits the history without running SQL, as the
 * Supabase CLI does. `applied` records the local file (with its statements and sha256); `reverted` removes the row.
 *
 * @example
 * await repair(['20240908000000'], { status: 'reverted' });
 */
export async function repair(
  versions: string[],
  opts: RepairOptions,
): Promise<{ target: string; repaired: { version: string; status: string }[] }> {
  if (opts.status !== 'applied' && opts.status !== 'reverted') {
    throw new KeelError('KEEL_BAD_OPTION', `--status must be applied or reverted, not "${String(opts.status)}"`);
  }
  if (versions.length === 0)
    throw new KeelError('KEEL_BAD_OPTION', 'name at least one version to repair', { hint: 'see `keel migration list`' });
  const project = loadProject(opts);
  const { migrations } = listMigrations(project, { lenient: true });
  const byVersion = new Map(migrations.map((m) => [BigInt(m.version).toString(), m]));
  const files = versions.map((v) => {
    if (!/^\d+$/.test(v)) throw new KeelError('KEEL_BAD_OPTION', `"${v}" is not a migration version (digits)`);
    const m = byVersion.get(BigInt(v).toString());
    if (!m && opts.status === 'applied')
      throw new KeelError('KEEL_NO_FILE', `no local migration file has version ${v}`, {
        hint: 'only versions with a file in supabase/migrations can be marked applied',
      });
    return { v, m };
  });
  await ensureParser();
  return withEngine(project, { ...opts, command: 'keel migration repair' }, async (engine) => {
    const repaired = await engine.transaction(async (tx) => {
      await ensureHistoryTables(tx);
      const out: { version: string; status: string }[] = [];
      for (const { v, m } of files) {
        if (opts.status === 'applied' && m) {
          const prepared = prepareFile(m);
          await recordMigration(tx, {
            version: m.version,
            name: m.name,
            statements: prepared.statements.map((s) => s.sql),
            sha256: m.sha256,
            durationMs: 0,
            toolVersion: KEEL_VERSION,
          });
          out.push({ version: m.version, status: 'applied' });
        } else {
          // The version as typed, and the local file's spelling of it (`1` and `001` are different history rows).
          let removed = await deleteMigration(tx, v);
          if (m && m.version !== v) removed = (await deleteMigration(tx, m.version)) || removed;
          out.push({ version: m?.version ?? v, status: removed ? 'reverted' : 'not-applied' });
        }
      }
      return out;
    });
    return { target: engine.target, repaired };
  });
}
