/**
 * The on-disk format of a Keel backup: a folder `<UTC timestamp>_<type>.keel/` holding `manifest.json`, `schema.sql`
 * (absent for data-only backups) and `data/<n>_<schema>.<table>.copy.gz` (COPY text format, gzip). The manifest is
 * written last and the folder renamed into place after it, so a folder with a manifest is a complete backup.
 */
import path from 'node:path';
import { qualify, quoteIdent } from './quote.js';

export const BACKUP_FORMAT = 'keel-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const SCHEMA_FILE = 'schema.sql';
export const DATA_DIR = 'data';
export const BACKUP_SUFFIX = '.keel';
/** In-progress backups are written under `<name>.partial-<pid>` next to where the backup will land. */
export const PARTIAL_MARK = '.partial-';

export type BackupType = 'full' | 'schema' | 'data';

/**
 * What a table's data file holds. `role` says how a restore treats it: `user` tables belong to the backup's schemas
 * (their definition is in schema.sql); `auth` is `auth.users` and `platform` another platform table holding the
 * project's data (`auth.identities`, `storage.buckets`, `storage.objects`): data only, the target's platform (or
 * Keel's shim) provides the table; `history` is Keel's and the Supabase CLI's migration history
 * (`supabase_migrations`, merged on restore).
 */
export interface TableEntry {
  schema: string;
  name: string;
  role: 'user' | 'auth' | 'platform' | 'history';
  /** Columns in the file's order, with their types (generated columns are left out: the target computes them). */
  columns: { name: string; type: string }[];
  rows: number;
  /** Size of the compressed file in bytes. */
  bytes: number;
  /** sha256 (hex) of the compressed file. */
  sha256: string;
  /** Path relative to the backup folder: `data/003_public.tasks.copy.gz`. */
  file: string;
}

export interface SequenceEntry {
  schema: string;
  name: string;
  /** The owning column, when there is one: a restore finds the sequence through it (identity sequences get new names). */
  ownedBy: { schema: string; table: string; column: string } | null;
  /** int8 as a string. */
  lastValue: string;
  isCalled: boolean;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  keelVersion: string;
  engine: 'pglite' | 'postgres';
  /** server_version_num of the source, e.g. 170004. */
  serverVersion: number;
  /** Latest applied migration version at the time of the backup, or null when the database had no history. */
  migrationVersion: string | null;
  /** ISO 8601, UTC. */
  createdAt: string;
  type: BackupType;
  /** User schemas whose objects and data the backup holds. */
  schemas: string[];
  /** Extensions the source had (a restore into PGlite opens with them). */
  extensions: string[];
  /** schema.sql, absent (null) for data-only backups. */
  schemaSql: { file: string; bytes: number; sha256: string } | null;
  /** In load order: parents before the tables that reference them. */
  tables: TableEntry[];
  sequences: SequenceEntry[];
}

/** `20261122T201530Z` (sortable, no characters that need quoting on any file system). */
export function timestampName(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export function defaultBackupName(d: Date, type: BackupType): string {
  return `${timestampName(d)}_${type}${BACKUP_SUFFIX}`;
}

/** Bytes a file name may have on common file systems (ext4, xfs, btrfs, tmpfs, APFS, NTFS in UTF-16 units). */
export const NAME_MAX = 255;

/**
 * `<finalPath>.partial-<pid>`. Where the final name fits but the suffix would not (a 250-byte name), the name is cut
 * before the suffix so the partial folder can still be made; the rename then gives it its full name.
 */
export function partialPath(finalPath: string, pid = process.pid): string {
  const suffix = `${PARTIAL_MARK}${pid}`;
  let base = path.basename(finalPath);
  while (base.length > 0 && Buffer.byteLength(base + suffix) > NAME_MAX) base = base.slice(0, -1);
  return path.join(path.dirname(finalPath), `${base}${suffix}`);
}

/** `data/003_public.tasks.copy.gz`; characters that file systems dislike become `_`. */
export function dataFileName(index: number, schema: string, table: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  return path.posix.join(DATA_DIR, `${String(index + 1).padStart(3, '0')}_${safe(schema)}.${safe(table)}.copy.gz`);
}

/** `public.tasks (id, title)`: the COPY target or source with an explicit column list. */
export function copyTarget(schema: string, table: string, columns: string[]): string {
  return `${qualify(schema, table)} (${columns.map(quoteIdent).join(', ')})`;
}

/**
 * Undoes COPY text-format escaping of one field (`\N` is NULL, backslash sequences per the COPY docs).
 *
 * @example
 * unescapeCopyField('a\\tb'); // 'a\tb'
 */
export function unescapeCopyField(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const ch = field[i]!;
    if (ch !== '\\' || i === field.length - 1) {
      out += ch;
      continue;
    }
    const next = field[i + 1]!;
    if (simple[next] !== undefined) {
      out += simple[next];
      i++;
    } else if (/[0-7]/.test(next)) {
      const m = /^[0-7]{1,3}/.exec(field.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 8));
      i += m.length;
    } else if (next === 'x' && /^[0-9a-fA-F]{1,2}/.test(field.slice(i + 2))) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(field.slice(i + 2))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i += 1 + m.length;
    } else {
      out += next;
      i++;
    }
  }
  return out;
}

/** Human size: `1.2 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
