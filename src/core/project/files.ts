import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../errors.js';
import {
  checkMigrationName,
  compareVersions,
  parseMigrationName,
  versionComparator,
  type MigrationOrder,
  type NameProblem,
} from './migration-name.js';
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
  /** Naming findings, one per file (lint reports them); errors among them make {@link listMigrations} throw unless `lenient`. */
  problems: (NameProblem & { file: string })[];
  /** What to tell the user, once each: the files skipped, mixed version widths, naming warnings. */
  warnings: string[];
}

/** Never mentioned: editor and git placeholders. */
const isPlaceholder = (name: string) => name.startsWith('.');

/** Reads a file as UTF-8 with its sha256; an unreadable file is a clear error naming it. */
export function readSqlFile(project: Pick<Project, 'root'>, abs: string): SqlFile {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (err) {
    throw new KeelError(
      'KEEL_FILE_UNREADABLE',
      `cannot read ${rel(project, abs)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {
        hint: 'check the file exists and is readable',
      },
    );
  }
  const file = rel(project, abs);
  const text = decodeSqlText(buf, file).replace(/^\uFEFF/, '');
  return { file, path: abs, text, sha256: crypto.createHash('sha256').update(buf).digest('hex') };
}

/**
 * The file's text, refused when it is not what the server would take whole: bytes that are not UTF-8 (the server
 * rejects them, PGlite would store U+FFFD) and NUL bytes (the wire protocol ends a statement at the first NUL, so the
 * rest of the file would silently not run). The error points at the first bad byte.
 */
export function decodeSqlText(buf: Buffer, file: string): string {
  const nul = buf.indexOf(0);
  const bad = firstInvalidUtf8(buf);
  if (nul < 0 && bad < 0) return buf.toString('utf8');
  const at = nul >= 0 && (bad < 0 || nul < bad) ? nul : bad;
  const before = buf.subarray(0, at).toString('utf8');
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  const isNul = at === nul;
  throw new KeelError(
    'KEEL_SQL_ENCODING',
    isNul
      ? `${file} contains a NUL byte (byte ${at})`
      : `${file} is not valid UTF-8 (byte ${at}: 0x${buf[at]!.toString(16).padStart(2, '0')})`,
    {
      location: { file, line, column },
      hint: isNul
        ? 'SQL files are text: remove the NUL byte (is it a binary file, or saved as UTF-16?)'
        : 'save the file as UTF-8 (Postgres rejects other encodings)',
    },
  );
}

/** The offset of the first byte that makes `buf` invalid UTF-8, or -1 (a binary search on the longest valid prefix). */
function firstInvalidUtf8(buf: Buffer): number {
  const decodes = (n: number, stream: boolean) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, n), { stream });
      return true;
    } catch {
      return false;
    }
  };
  if (decodes(buf.length, false)) return -1;
  // The longest prefix that is valid UTF-8 so far (an unfinished sequence at its end allowed): the byte after it is
  // bad, or the sequence it ends inside is.
  let lo = 0;
  let hi = buf.length + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (decodes(mid, true)) lo = mid;
    else hi = mid;
  }
  if (decodes(lo, false)) return lo;
  let start = lo - 1; // the prefix ends inside a sequence: point at its lead byte
  while (start > 0 && (buf[start]! & 0xc0) === 0x80) start--;
  return start;
}

/**
 * The migration files in the order the Supabase CLI applies them (file names as text; numeric with
 * `[migrations] order = "numeric"`), with seed 000's naming rules checked. What the CLI skips is skipped, with a
 * warning naming each file: names not matching `<digits>_<name>.sql` (`local_20240101_x.sql`, `seed.sql`, `atlas.sum`,
 * README.md), folders, and a first `<timestamp>_init.sql` older than 2021-12-09 (the CLI's legacy init schema). Two
 * files with one version are an error (the CLI fails on its history's primary key).
 *
 * @example
 * const { migrations, problems, warnings } = listMigrations(project);
 */
export function listMigrations(project: Project, opts: { lenient?: boolean } = {}): MigrationListing {
  const problems: MigrationListing['problems'] = [];
  const migrations: MigrationFile[] = [];
  const order = project.config.migrations.order ?? 'text';
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(project.migrationsDir, { withFileTypes: true });
  } catch {
    return { migrations, problems, warnings: [] };
  }
  const seen = new Map<string, string>();
  const byName = entries.filter((e) => !isPlaceholder(e.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  byName.forEach((entry, index) => {
    const file = rel(project, path.join(project.migrationsDir, entry.name));
    const skip = (rule: string, why: string) => problems.push({ file, level: 'warning', rule, skipped: true, message: `${file} ${why}` });
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        isFile = fs.statSync(path.join(project.migrationsDir, entry.name)).isFile();
      } catch {
        throw new KeelError('KEEL_FILE_UNREADABLE', `cannot read ${file}: it is a link to a file that does not exist`, {
          hint: 'fix or remove the link',
        });
      }
    }
    if (!isFile)
      return void skip(
        'migration-file-type',
        'is a folder: skipped, as the Supabase CLI skips folders (migrations/ holds only <version>_<name>.sql files)',
      );
    const nameProblems = checkMigrationName(entry.name);
    for (const p of nameProblems) problems.push({ ...p, message: p.message.replace(entry.name, file), file });
    const parsed = parseMigrationName(entry.name);
    if (!parsed || nameProblems.some((p) => p.skipped)) return;
    if (index === 0 && parsed.name === 'init' && parsed.version.length === 14 && BigInt(parsed.version) < 20211209000000n) {
      return void skip(
        'migration-legacy-init',
        "is the Supabase CLI's legacy init schema (a first <timestamp>_init.sql older than 2021-12-09): skipped, as the CLI skips it; rename it to apply it",
      );
    }
    const key = order === 'numeric' ? BigInt(parsed.version).toString() : parsed.version;
    const other = seen.get(key);
    if (other) {
      problems.push({
        file,
        level: 'error',
        rule: 'migration-version-duplicate',
        message: `${file} has the same version as ${other}; give each file its own version`,
      });
      return;
    }
    seen.set(key, file);
    migrations.push({ ...readSqlFile(project, path.join(project.migrationsDir, entry.name)), version: parsed.version, name: parsed.name });
  });
  if (order === 'numeric') migrations.sort((a, b) => compareVersions(a.version, b.version));
  const warnings = [...skippedWarning(problems), ...widthWarning(migrations, order, problems)];
  warnings.push(
    ...problems
      .filter((p) => p.level === 'warning' && !p.skipped && p.rule !== 'migration-version-width')
      .map((p) => `${p.message} [${p.rule}]`),
  );
  const errors = problems.filter((p) => p.level === 'error');
  if (errors.length > 0 && !opts.lenient) {
    throw new KeelError(
      'KEEL_MIGRATION_NAMES',
      `${errors.length} file${errors.length > 1 ? 's' : ''} in supabase/migrations ${errors.length > 1 ? 'have' : 'has'} the version of another file`,
      {
        problems: errors.map((p) => `${p.message} [${p.rule}]`),
        hint: 'give each file its own version (NNN_action_target.sql or YYYYMMDDHHMMSS_name.sql)',
      },
    );
  }
  return { migrations, problems, warnings };
}

/** One line naming every skipped file and why. */
function skippedWarning(problems: MigrationListing['problems']): string[] {
  const skipped = problems.filter((p) => p.skipped);
  if (skipped.length === 0) return [];
  return [
    `skipped ${skipped.length} file${skipped.length > 1 ? 's' : ''} in supabase/migrations that the Supabase CLI skips too: ${skipped.map((p) => `${p.message} [${p.rule}]`).join('; ')}`,
  ];
}

/**
 * Versions of different widths: the text and numeric orders disagree (`10_` before `9_` as text), so say once which
 * order runs, naming the files whose width is not the most common one; each such file is also a lint finding.
 */
function widthWarning(migrations: MigrationFile[], order: MigrationOrder, problems: MigrationListing['problems']): string[] {
  const byWidth = new Map<number, MigrationFile[]>();
  for (const m of migrations) byWidth.set(m.version.length, [...(byWidth.get(m.version.length) ?? []), m]);
  if (byWidth.size < 2) return [];
  const common = [...byWidth.entries()].sort((a, b) => b[1].length - a[1].length || b[0] - a[0])[0]![0];
  const odd = migrations.filter((m) => m.version.length !== common);
  const widths = [...byWidth.keys()].sort((a, b) => a - b).join(', ');
  for (const m of odd) {
    problems.push({
      file: m.file,
      level: 'warning',
      rule: 'migration-version-width',
      message: `${m.file}: its version has ${m.version.length} digits, most have ${common}; text and numeric order disagree on such versions`,
    });
  }
  const other: MigrationOrder = order === 'text' ? 'numeric' : 'text';
  const otherSorted = [...migrations].sort((a, b) => versionComparator(other)(a.version, b.version));
  const differs = otherSorted.findIndex((m, i) => m !== migrations[i]);
  const names =
    odd
      .slice(0, 10)
      .map((m) => m.file.split('/').at(-1))
      .join(', ') + (odd.length > 10 ? ` and ${odd.length - 10} more` : '');
  const consequence =
    differs < 0
      ? `${other} order would be the same here`
      : `${other} order would run ${otherSorted[differs]!.file.split('/').at(-1)} before ${migrations[differs]!.file.split('/').at(-1)}`;
  const how =
    order === 'text'
      ? 'in text order, as the Supabase CLI applies them (`[migrations] order = "numeric"` in keel.toml compares them as numbers; only for a project no database was built from in the CLI\'s order)'
      : 'as numbers (`[migrations] order = "numeric"`), not in the text order the Supabase CLI applies them in';
  return [
    `migration versions have different widths (${widths} digits; not ${common}: ${names}): they run ${how}; ${consequence} [migration-version-width]`,
  ];
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

/**
 * Seed files from the configured globs (only `dir/*.sql` and plain file names are supported), in order, each once.
 * None when config.toml's `[db.seed] enabled = false`. A configured pattern (config.toml's `sql_paths`, keel.toml's
 * `[seed] paths`) that matches no file is passed to `warn` with its `file:line:col`, as the Supabase CLI warns
 * (`no files matched pattern`); the default patterns match nothing quietly.
 */
export function listSeedFiles(project: Project, warn?: (warning: string) => void): SqlFile[] {
  const out: SqlFile[] = [];
  const seen = new Set<string>();
  if (!project.config.seed.enabled) return out;
  for (const [i, pattern] of project.config.seed.paths.entries()) {
    const abs = path.join(project.supabaseDir, pattern);
    const files = pattern.includes('*')
      ? (() => {
          const dir = path.dirname(abs);
          const re = new RegExp(
            `^${path
              .basename(abs)
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '.*')}$`,
          );
          try {
            return fs
              .readdirSync(dir)
              .filter((n) => re.test(n))
              .sort()
              .map((n) => path.join(dir, n));
          } catch {
            return [];
          }
        })()
      : fs.existsSync(abs)
        ? [abs]
        : [];
    const at = project.config.seed.locations?.[i];
    if (files.length === 0 && project.config.seed.locations) {
      const key = at?.file === 'supabase/config.toml' ? '[db.seed] sql_paths' : '[seed] paths';
      warn?.(
        `${at ? `${at.file}:${at.line}:${at.column}: ` : ''}no files matched pattern: ${pattern} (${key}, relative to supabase/); nothing seeded from it`,
      );
    }
    for (const f of files) {
      if (seen.has(f)) continue;
      seen.add(f);
      out.push(readSqlFile(project, f));
    }
  }
  return out;
}
