/**
 * Writing a backup: one repeatable-read, read-only transaction (one snapshot), the schema rendered from the catalog,
 * each table streamed COPY → gzip → file while it is hashed, the manifest last, then the folder renamed into place.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KeelError } from '../../core/errors.js';
import { readCatalog, type Catalog, type Table } from '../../core/catalog/index.js';
import { ensureParser } from '../../core/sql/parser.js';
import { compareVersions } from '../../core/project/migration-name.js';
import type { Engine, Transaction } from '../../db/engine.js';
import { readHistory } from '../migrate/history.js';
import { userSchemas } from '../migrate/reset.js';
import { KEEL_VERSION } from '../../version.js';
import { gzipParallel } from './gzip-parallel.js';
import { effectiveJobs } from './jobs.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  DATA_DIR,
  SCHEMA_FILE,
  copyTarget,
  dataFileName,
  partialPath,
  unescapeCopyField,
  type BackupType,
  type Manifest,
  type SequenceEntry,
  type TableEntry,
} from './format.js';
import { writeManifestFile } from './manifest.js';
import { isFsError, makeDir, makeDirs } from '../../core/fs.js';
import { backupFsError, checkBackupOutput, removeQuietly, withPath, writeSynced } from './output.js';
import { renderPlatformSql } from './platform-sql.js';
import { renderSchemaSql } from './schema-sql.js';
import { readSchemaPrivileges } from './schema-acl.js';
import { qualify, quoteIdent, quoteLiteral } from './quote.js';

export interface BackupProgress {
  /** `schema.table` being copied. */
  table: string;
  tablesDone: number;
  tablesTotal: number;
  /** Totals so far over all tables. */
  rows: number;
  bytes: number;
}

export interface WriteBackupOptions {
  type: BackupType;
  /** The folder to write (it must not exist yet). */
  path: string;
  /** Only these tables' data (`schema.table`, or `table` for any schema). */
  tables?: string[];
  excludeTables?: string[];
  onProgress?: (e: BackupProgress) => void;
  /** Rows per COPY on engines whose COPY data passes through memory whole (PGlite's /dev/blob). */
  pageRows?: number;
  now?: Date;
  /** Tables copied at once, each over its own session sharing the one snapshot (a server; PGlite runs 1, with a note). */
  jobs?: number;
}

export interface WriteBackupResult {
  path: string;
  manifest: Manifest;
  /** Total bytes written (schema.sql, data files, manifest). */
  bytes: number;
  durationMs: number;
  /** What ran otherwise than asked (`--jobs` on PGlite). */
  notes: string[];
}

/** Migration history tables restored by merge: the Supabase CLI's and Keel's. */
const HISTORY_TABLES = ['schema_migrations', 'keel_migrations', 'seed_files'];

interface Planned {
  schema: string;
  name: string;
  role: TableEntry['role'];
  columns: { name: string; type: string }[];
  /** Primary key columns (keyset paging), empty when none. */
  key: string[];
}

/**
 * Writes a backup of `engine` to `opts.path` (see {@link Manifest} for the format). Everything is read in one
 * repeatable-read, read-only transaction. The folder appears only when complete: files go to `<path>.partial-<pid>`,
 * each fsynced, the manifest last, then a rename.
 *
 * @example
 * const r = await writeBackup(engine, { type: 'full', path: 'supabase/backups/20261122T201530Z_full.keel' });
 */
export async function writeBackup(engine: Engine, opts: WriteBackupOptions): Promise<WriteBackupResult> {
  const started = performance.now();
  const finalPath = path.resolve(opts.path);
  checkBackupOutput(finalPath);
  const work = partialPath(finalPath);
  const { jobs, note } = effectiveJobs(engine, opts.jobs);
  try {
    // A folder this process left (same pid) is stale; another process's is not ours to touch.
    fs.rmSync(work, { recursive: true, force: true });
    makeDirs(path.dirname(finalPath));
    makeDir(work);
    makeDir(path.join(work, DATA_DIR));
  } catch (err) {
    if (!isFsError(err)) throw err;
    removeQuietly(work);
    throw backupFsError(err, finalPath, 'output');
  }
  try {
    const manifest = await engine.transaction(async (tx) => {
      await tx.query('set transaction isolation level repeatable read, read only');
      // Refuse rather than silently skip rows a policy would hide (forced RLS on a table the backup role owns).
      await tx.query(`select set_config('row_security', 'off', true)`);
      return snapshot(engine, tx, opts, work, jobs);
    });
    writeManifestFile(work, manifest);
    fsyncDir(work);
    fsyncDir(path.join(work, DATA_DIR));
    fs.renameSync(work, finalPath);
    fsyncDir(path.dirname(finalPath));
    const bytes =
      (manifest.schemaSql?.bytes ?? 0) +
      manifest.tables.reduce((n, t) => n + t.bytes, 0) +
      fs.statSync(path.join(finalPath, 'manifest.json')).size;
    return { path: finalPath, manifest, bytes, durationMs: performance.now() - started, notes: note ? [note] : [] };
  } catch (err) {
    // The folder has its .partial- name until the rename, so whatever is left never looks complete; remove it anyway.
    const left = removeQuietly(work);
    const note = left
      ? `${work} could not be removed (${left.code ?? left.message}); \`keel db backup prune\` removes it once this process is gone`
      : undefined;
    if (isFsError(err)) throw backupFsError(err, finalPath, 'write', note);
    throw err;
  }
}

/**
 * `--jobs`: the tables copied over `jobs` sessions at once, largest first, all reading the snapshot of `tx` (exported
 * with pg_export_snapshot and taken up by each session with SET TRANSACTION SNAPSHOT before its first query), so the
 * backup is as consistent as one read by one session. `tx` is one of the workers.
 */
async function copyInParallel(
  engine: Engine,
  tx: Transaction,
  planned: Planned[],
  jobs: number,
  copyOne: (q: Transaction, i: number) => Promise<void>,
): Promise<void> {
  const { rows: sizes } = await tx.query<{ size: string }>(
    `select coalesce(pg_table_size(to_regclass(t)), 0)::text as size from unnest($1::text[]) with ordinality u(t, n) order by n`,
    [planned.map((t) => qualify(t.schema, t.name))],
  );
  const queue = [...planned.keys()].sort((a, b) => Number(sizes[b]?.size ?? 0) - Number(sizes[a]?.size ?? 0));
  const { rows } = await tx.query<{ id: string }>(`select pg_export_snapshot() as id`);
  const snapshotId = rows[0]!.id;
  let failed = false;
  const drain = async (q: Transaction) => {
    try {
      for (let i = queue.shift(); i !== undefined && !failed; i = queue.shift()) await copyOne(q, i);
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  const helper = () =>
    engine.session(async (s) => {
      await s.exec('begin isolation level repeatable read, read only');
      await s.exec(`set transaction snapshot ${quoteLiteral(snapshotId)}`);
      await s.query(`select set_config('row_security', 'off', true)`);
      await drain(s);
      await s.exec('commit');
    });
  const settled = await Promise.allSettled([drain(tx), ...Array.from({ length: Math.min(jobs, planned.length) - 1 }, helper)]);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

async function snapshot(engine: Engine, tx: Transaction, opts: WriteBackupOptions, work: string, jobs: number): Promise<Manifest> {
  const createdAt = (opts.now ?? new Date()).toISOString();
  const schemas = await userSchemas(tx);
  const catalog = await readCatalog(tx, { schemas });
  const { rows: ver } = await tx.query<{ v: number }>(`select current_setting('server_version_num')::int as v`);
  const history = await readHistory(tx);
  const migrationVersion =
    history
      .map((h) => h.version)
      .sort(compareVersions)
      .at(-1) ?? null;

  let schemaSql: Manifest['schemaSql'] = null;
  if (opts.type !== 'data') {
    await ensureParser();
    const text =
      renderSchemaSql(catalog, { schemas, schemaPrivileges: await readSchemaPrivileges(tx, schemas) }) +
      (await renderPlatformSql(tx, schemas));
    const file = path.join(work, SCHEMA_FILE);
    writeSynced(file, text);
    schemaSql = { file: SCHEMA_FILE, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
  }

  const planned = selectTables(await planTables(tx, catalog, opts.type), opts);
  const entries: TableEntry[] = [];
  let rows = 0;
  let bytes = 0;
  let tablesDone = 0;
  const copyOne = async (q: Transaction, i: number) => {
    const t = planned[i]!;
    const file = dataFileName(i, t.schema, t.name);
    const progress = (r: number, b: number) =>
      opts.onProgress?.({ table: `${t.schema}.${t.name}`, tablesDone, tablesTotal: planned.length, rows: rows + r, bytes: bytes + b });
    const out = await copyTableToFile(engine, q, t, path.join(work, file), opts.pageRows ?? 50_000, progress);
    rows += out.rows;
    bytes += out.bytes;
    tablesDone++;
    entries[i] = {
      schema: t.schema,
      name: t.name,
      role: t.role,
      columns: t.columns,
      rows: out.rows,
      bytes: out.bytes,
      sha256: out.sha256,
      file,
    };
  };
  if (jobs > 1 && planned.length > 1) await copyInParallel(engine, tx, planned, jobs, copyOne);
  else for (const i of planned.keys()) await copyOne(tx, i);
  const tables = planned.map((_, i) => entries[i]!);
  opts.onProgress?.({ table: '', tablesDone: planned.length, tablesTotal: planned.length, rows, bytes });

  return {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    keelVersion: KEEL_VERSION,
    engine: engine.kind,
    serverVersion: ver[0]!.v,
    migrationVersion,
    createdAt,
    type: opts.type,
    schemas,
    extensions: catalog.extensions.map((e) => e.name),
    schemaSql,
    tables,
    sequences: await readSequences(tx, catalog),
  };
}

/**
 * Tables of the platform that hold the project's data, in load order (each before the tables that reference it):
 * users and their identities (GoTrue), buckets and the objects' metadata (Storage; the files themselves live in the
 * storage service, not in the database). Sessions, refresh tokens and audit logs are left out: they are the
 * platform's short-lived state, not data a restore should bring back.
 */
const PLATFORM_TABLES: [string, string][] = [
  ['auth', 'users'],
  ['auth', 'identities'],
  ['storage', 'buckets'],
  ['storage', 'objects'],
];

/**
 * The tables whose data the backup holds, in load order: the platform tables first (user tables reference them), user tables
 * parents-first along their foreign keys, the migration history last. Schema-only backups keep only the history
 * (a restored schema should know which migrations made it); data-only backups leave the history out (the target's
 * own migrations made its schema).
 */
async function planTables(tx: Transaction, catalog: Catalog, type: BackupType): Promise<Planned[]> {
  const out: Planned[] = [];
  if (type !== 'schema') {
    for (const [schema, name] of PLATFORM_TABLES) {
      if (await exists(tx, schema, name)) {
        out.push({
          schema,
          name,
          role: schema === 'auth' && name === 'users' ? 'auth' : 'platform',
          columns: await liveColumns(tx, schema, name),
          key: await primaryKey(tx, schema, name),
        });
      }
    }
    for (const t of fkOrder(catalog.tables.filter((t) => t.kind === 'table'))) {
      const columns = t.columns.filter((c) => c.generated === null).map((c) => ({ name: c.name, type: c.type }));
      if (columns.length === 0) continue; // COPY needs at least one column; such a table has no data worth keeping
      const pk = t.constraints.find((c) => c.type === 'p');
      out.push({ schema: t.schema, name: t.name, role: 'user', columns, key: pk ? pk.columns : [] });
    }
  }
  if (type !== 'data') {
    for (const name of HISTORY_TABLES) {
      if (await exists(tx, 'supabase_migrations', name)) {
        const key = name === 'seed_files' ? ['path'] : ['version'];
        out.push({
          schema: 'supabase_migrations',
          name,
          role: 'history',
          columns: await liveColumns(tx, 'supabase_migrations', name),
          key,
        });
      }
    }
  }
  return out;
}

function selectTables(planned: Planned[], opts: WriteBackupOptions): Planned[] {
  const matches = (t: Planned, spec: string) => (spec.includes('.') ? `${t.schema}.${t.name}` === spec : t.name === spec);
  const unknown = [...(opts.tables ?? []), ...(opts.excludeTables ?? [])].filter((spec) => !planned.some((t) => matches(t, spec)));
  if (unknown.length) {
    throw new KeelError('KEEL_BACKUP_NO_TABLE', `no table ${unknown.map((u) => `"${u}"`).join(', ')} in this backup's data`, {
      hint: `tables: ${planned.map((t) => `${t.schema}.${t.name}`).join(', ') || '(none)'}`,
    });
  }
  return planned.filter(
    (t) => (!opts.tables?.length || opts.tables.some((s) => matches(t, s))) && !(opts.excludeTables ?? []).some((s) => matches(t, s)),
  );
}

/** Parents before children; a cycle keeps the remaining tables in name order (a restore defers checks where it can). */
export function fkOrder(tables: Table[]): Table[] {
  const key = (schema: string, name: string) => `${schema}.${name}`;
  const byKey = new Map(tables.map((t) => [key(t.schema, t.name), t]));
  const done = new Set<string>();
  const out: Table[] = [];
  const visiting = new Set<string>();
  const visit = (t: Table) => {
    const k = key(t.schema, t.name);
    if (done.has(k) || visiting.has(k)) return;
    visiting.add(k);
    for (const c of t.constraints) {
      const ref = c.type === 'f' && c.references ? byKey.get(key(c.references.schema, c.references.table)) : undefined;
      if (ref && ref !== t) visit(ref);
    }
    visiting.delete(k);
    done.add(k);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => (key(a.schema, a.name) < key(b.schema, b.name) ? -1 : 1))) visit(t);
  return out;
}

/** The primary key's columns (keyset paging on PGlite), or none. */
async function primaryKey(tx: Transaction, schema: string, name: string): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(
    `select a.attname::text as name
       from pg_index i cross join lateral unnest(i.indkey) with ordinality k(attnum, n)
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where i.indrelid = to_regclass($1) and i.indisprimary
      order by k.n`,
    [qualify(schema, name)],
  );
  return rows.map((r) => r.name);
}

async function exists(tx: Transaction, schema: string, name: string): Promise<boolean> {
  const { rows } = await tx.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [qualify(schema, name)]);
  return Boolean(rows[0]?.ok);
}

/** A table's columns as the server has them (not generated, not dropped), in order, with format_type types. */
export async function liveColumns(tx: Transaction, schema: string, name: string): Promise<{ name: string; type: string }[]> {
  const { rows } = await tx.query<{ name: string; type: string }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
       from pg_attribute a
      where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      order by a.attnum`,
    [qualify(schema, name)],
  );
  return rows;
}

async function readSequences(tx: Transaction, catalog: Catalog): Promise<SequenceEntry[]> {
  const out: SequenceEntry[] = [];
  for (const s of catalog.sequences) {
    const { rows } = await tx.query<{ last_value: string; is_called: boolean }>(
      `select last_value::text as last_value, is_called from ${qualify(s.schema, s.name)}`,
    );
    const owned = s.ownedBy ? { schema: s.ownedBy.schema, table: s.ownedBy.table, column: s.ownedBy.column } : null;
    out.push({ schema: s.schema, name: s.name, ownedBy: owned, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
  }
  return out;
}

/**
 * COPY → gzip (level 1) → file, hashing and counting as it goes. On a streaming engine one COPY; where COPY data
 * passes through memory whole (PGlite), pages of `pageRows` rows walked by primary key.
 */
async function copyTableToFile(
  engine: Engine,
  tx: Transaction,
  t: Planned,
  file: string,
  pageRows: number,
  progress: (rows: number, bytes: number) => void,
): Promise<{ rows: number; bytes: number; sha256: string }> {
  const names = t.columns.map((c) => c.name);
  const paged = engine.capabilities.copy === 'blob' && t.key.length > 0;
  const keyIdx = t.key.map((k) => names.indexOf(k));
  let rows = 0;
  let bytes = 0;
  const hash = createHash('sha256');

  async function* pages(): AsyncGenerator<Uint8Array> {
    if (!paged || keyIdx.some((i) => i < 0)) {
      for await (const chunk of tx.copyOut(copyTarget(t.schema, t.name, names))) {
        rows += countNewlines(chunk);
        yield chunk;
      }
      return;
    }
    const cols = names.map(quoteIdent).join(', ');
    const keyCols = t.key.map(quoteIdent).join(', ');
    const keyTypes = t.key.map((k) => t.columns.find((c) => c.name === k)!.type);
    let after: (string | null)[] | null = null;
    for (;;) {
      const where: string = after
        ? ` where (${keyCols}) > (${after.map((v, i) => `${quoteLiteral(v ?? '')}::${keyTypes[i]}`).join(', ')})`
        : '';
      const source = `(select ${cols} from ${qualify(t.schema, t.name)}${where} order by ${keyCols} limit ${pageRows})`;
      const tail = new LastLine();
      let pageCount = 0;
      for await (const chunk of tx.copyOut(source)) {
        pageCount += countNewlines(chunk);
        tail.push(chunk);
        yield chunk;
      }
      rows += pageCount;
      progress(rows, bytes);
      if (pageCount < pageRows) return;
      const fields = tail.line().split('\t');
      after = keyIdx.map((i) => unescapeCopyField(fields[i] ?? ''));
    }
  }

  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.from(gzipParallel(pages())), counter, fs.createWriteStream(file));
    fsyncFile(file);
  } catch (err) {
    throw withPath(err, file);
  }
  progress(rows, bytes);
  return { rows, bytes, sha256: hash.digest('hex') };
}

/** Rows in COPY text data: one newline each (newlines inside values are escaped as `\n`). */
function countNewlines(chunk: Uint8Array): number {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Keeps the last complete line of a stream of chunks (the last row of a page, for keyset paging). */
class LastLine {
  private last: Buffer = Buffer.alloc(0);
  private partial: Buffer = Buffer.alloc(0);
  push(chunk: Uint8Array): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = buf.lastIndexOf(10);
    if (end === -1) {
      this.partial = Buffer.concat([this.partial, buf]);
      return;
    }
    const start = buf.lastIndexOf(10, end - 1);
    this.last = start === -1 ? Buffer.concat([this.partial, buf.subarray(0, end)]) : Buffer.from(buf.subarray(start + 1, end));
    this.partial = Buffer.from(buf.subarray(end + 1));
  }
  line(): string {
    return this.last.toString('utf8');
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync a directory so a rename or new entry in it survives a crash (a no-op where directories cannot be opened). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
