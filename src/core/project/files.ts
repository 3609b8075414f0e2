import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../errors.js';
import { checkMigrationName, compareVersions, parseMigrationName, type NameProblem } from './migration-name.js';
import { rel, type Project } from './layout.js';

export interface SqlFile {
  /** Path relative to the project root (`supabase/migrations/001_init.sql`), used in every message. */
  file: string;
  path: string;
  text: string;
  sha256: string;
}

export interface MigrationFile extends SqlFile {
  version: string;
  name: string;
}

export interface MigrationListing {
  migrations: MigrationFile[];
  /** Naming findings; errors among them make {@link listMigrations} throw unless `lenient`. */
  problems: (NameProblem & { file: string })[];
}

const IGNORED = new Set(['.gitkeep', '.keep', 'README.md', 'readme.md']);

/** Reads a file as UTF-8 with its sha256; an unreadable file is a clear error naming it. */
export function readSqlFile(project: Pick<Project, 'root'>, abs: string): SqlFile {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (err) {
    throw new KeelError('KEEL_FILE_UNREADABLE', `cannot read ${rel(project, abs)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: 'check the file exists and is readable',
    });
  }
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  return { file: rel(project, abs), path: abs, text, sha256: crypto.createHash('sha256').update(buf).digest('hex') };
}

/**
 * The migration files in version order, with seed 000's naming rules checked. Files that are not migrations are
 * refused, never skipped; duplicate versions are an error.
 *
 * @example
 * const { migrations, problems } = listMigrations(project);
 */
export function listMigrations(project: Project, opts: { lenient?: boolean } = {}): MigrationListing {
  const problems: MigrationListing['problems'] = [];
  const migrations: MigrationFile[] = [];
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(project.migrationsDir, { withFileTypes: true });
  } catch {
    return { migrations, problems };
  }
  const seen = new Map<string, string>();
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (IGNORED.has(entry.name) || entry.name.startsWith('.')) continue;
    const file = rel(project, path.join(project.migrationsDir, entry.name));
    if (entry.isSymbolicLink()) {
      let target: fs.Stats;
      try {
        target = fs.statSync(path.join(project.migrationsDir, entry.name));
      } catch {
        throw new KeelError('KEEL_FILE_UNREADABLE', `cannot read ${file}: it is a link to a file that does not exist`, { hint: 'fix or remove the link' });
      }
      if (!target.isFile()) {
        problems.push({ file, level: 'error', rule: 'migration-file-type', message: `${file} links to a folder; migrations/ holds only .sql files` });
        continue;
      }
    } else if (!entry.isFile()) {
      problems.push({ file, level: 'error', rule: 'migration-file-type', message: `${file} is a folder; migrations/ holds only .sql files` });
      continue;
    }
    for (const p of checkMigrationName(entry.name)) problems.push({ ...p, message: p.message.replace(entry.name, file), file });
    const parsed = parseMigrationName(entry.name);
    if (!parsed) continue;
    const key = BigInt(parsed.version).toString();
    const other = seen.get(key);
    if (other) {
      problems.push({ file, level: 'error', rule: 'migration-version-duplicate', message: `${file} has the same version as ${other}; give each file its own version` });
      continue;
    }
    seen.set(key, file);
    migrations.push({ ...readSqlFile(project, path.join(project.migrationsDir, entry.name)), version: parsed.version, name: parsed.name });
  }
  migrations.sort((a, b) => compareVersions(a.version, b.version));
  const widths = new Set(migrations.filter((m) => m.version.length < 12).map((m) => m.version.length));
  if (widths.size > 1) {
    const odd = migrations.filter((m) => m.version.length < 12 && m.version.length !== Math.max(...widths));
    for (const m of odd) {
      problems.push({
        file: m.file,
        level: 'warning',
        rule: 'migration-version-width',
        message: `${m.file}: versions of different widths (${[...widths].sort().join(' and ')} digits) sort differently in the Supabase CLI, which compares them as text; pad them to one width`,
      });
    }
  }
  const errors = problems.filter((p) => p.level === 'error');
  if (errors.length > 0 && !opts.lenient) {
    throw new KeelError('KEEL_MIGRATION_NAMES', `${errors.length} file${errors.length > 1 ? 's' : ''} in supabase/migrations cannot be ordered`, {
      problems: errors.map((p) => `${p.message} [${p.rule}]`),
      hint: 'rename them (NNN_action_target.sql or YYYYMMDDHHMMSS_name.sql) or move them out of migrations/',
    });
  }
  return { migrations, problems };
}

/** `.sql` files directly in a folder, in name order (roles/, policies/). */
export function listSqlFiles(project: Pick<Project, 'root'>, dir: string): SqlFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.toLowerCase().endsWith('.sql'))
    .sort()
    .map((n) => readSqlFile(project, path.join(dir, n)));
}

/** Seed files from the configured globs (only `dir/*.sql` and plain file names are supported), in order, each once. */
export function listSeedFiles(project: Project): SqlFile[] {
  const out: SqlFile[] = [];
  const seen = new Set<string>();
  for (const pattern of project.config.seed.paths) {
    const abs = path.join(project.supabaseDir, pattern);
    const files = pattern.includes('*')
      ? (() => {
          const dir = path.dirname(abs);
          const re = new RegExp(`^${path.basename(abs).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
          try {
            return fs.readdirSync(dir).filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
          } catch {
            return [];
          }
        })()
      : fs.existsSync(abs)
        ? [abs]
        : [];
    for (const f of files) {
      if (seen.has(f)) continue;
      seen.add(f);
      out.push(readSqlFile(project, f));
    }
  }
  return out;
}
