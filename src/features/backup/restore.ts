/**
 * Restoring a verified backup: everything in one transaction (schema.sql, data through COPY, sequence values, the
 * migration history), so a failure or a kill leaves the target as it was.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeelError, toDbError, DbError } from '../../core/errors.js';
import type { Engine, Transaction } from '../../db/engine.js';
import { SHIM_MARKER } from '../../db/shim/supabase-shim.js';
import { prepareDatabase } from '../../commands/context.js';
import { ensureHistoryTables } from '../migrate/history.js';
import { wipeDatabase } from '../migrate/reset.js';
import { type Manifest, type TableEntry } from './format.js';
import { PLATFORM_SECTION } from './platform-sql.js';
import { checkSha256 } from './verify.js';
import { effectiveJobs } from './jobs.js';
import { loadTable } from './load-table.js';
import { restoreInParallel, type ParallelWork } from './restore-parallel.js';
import { qualify, quoteIdent } from './quote.js';

export interface RestoreOptions {
  /** Load on top of what the target has. */
  force?: boolean;
  /** Drop every user schema first (data-only: empty the backup's tables first; `table`: delete that table's rows first). */
  clean?: boolean;
  /** Load data only, into tables the target already has. */
  dataOnly?: boolean;
  /** Partial recovery of one table (`schema.table`, or `table` when the name is unique in the backup). */
  table?: string;
  /** With `table`: load into this new table (created like the original) instead, for merging by hand. */
  into?: string;
  onProgress?: (e: { table: string; tablesDone: number; tablesTotal: number; rows: number }) => void;
  /** Bytes per COPY on engines whose COPY data passes through memory whole (PGlite). */
  batchBytes?: number;
  /**
   * Sessions at once (a server; PGlite runs 1, with a note): the user tables' data, then their keys and indexes, load in
   * parallel. Only the first transaction (wipe, schema, platform rows) is all or nothing then; see restoreInParallel.
   */
  jobs?: number;
}

export interface RestoreResult {
  /** Tables loaded, in order, with the rows each got. */
  tables: { table: string; rows: number; into?: string }[];
  schemaApplied: boolean;
  /** Schemas dropped by `--clean`. */
  cleaned: string[];
  sequences: number;
  /** What could not be done as asked (triggers left enabled, foreign keys checked row by row, …). */
  notes: string[];
}

/**
 * Restores `manifest` (already verified: see verifyBackup) from `dir` into `engine`, in one transaction.
 *
 * @example
 * const manifest = await verifyBackup(dir);
 * await restoreBackup(engine, dir, manifest, { clean: true });
 */
export async function restoreBackup(engine: Engine, dir: string, manifest: Manifest, opts: RestoreOptions = {}): Promise<RestoreResult> {
  if (opts.into && !opts.table)
    throw new KeelError('KEEL_BAD_OPTION', '--into needs --table', {
      hint: 'keel db restore <backup> --table public.tasks --into tasks_recovered',
    });
  if (opts.force && opts.clean)
    throw new KeelError('KEEL_BAD_OPTION', '--force and --clean cannot be combined', {
      hint: '--clean empties the target first; --force loads on top of it',
    });
  const { jobs, note } = effectiveJobs(engine, opts.jobs);
  try {
    const r: FirstPart = await engine.transaction((tx): Promise<FirstPart> =>
      opts.table ? restoreTable(engine, tx, dir, manifest, opts) : restoreAll(engine, tx, dir, manifest, opts, jobs),
    );
    if (note) r.notes.unshift(note);
    const { later, ...result } = r;
    if (!later) return result;
    const loaded = await restoreInParallel(engine, jobs, later);
    const order = new Map(manifest.tables.map((t, i) => [`${t.schema}.${t.name}`, i]));
    result.tables = [...result.tables, ...loaded].sort((a, b) => (order.get(a.table) ?? 0) - (order.get(b.table) ?? 0));
    return result;
  } catch (err) {
    const e = toDbError(err);
    if (e instanceof DbError) {
      throw new KeelError('KEEL_RESTORE_FAILED', `restore failed, nothing was changed: ${e.message}`, {
        sqlState: e.code,
        detail: [e.detail, e.where].filter(Boolean).join('\n') || undefined,
        hint:
          e.code === '23505'
            ? 'the target already has some of these rows: use --clean to empty it first'
            : 'the whole restore ran in one transaction and was rolled back',
        cause: err,
      });
    }
    throw err;
  }
}

/** A restore's first transaction, and what it left for the parallel phases (`--jobs`), if any. */
type FirstPart = RestoreResult & { later?: ParallelWork };

async function restoreAll(
  engine: Engine,
  tx: Transaction,
  dir: string,
  manifest: Manifest,
  opts: RestoreOptions,
  jobs: number,
): Promise<FirstPart> {
  const notes: string[] = [];
  const dataOnly = opts.dataOnly || manifest.type === 'data';
  let applySchema = !dataOnly && manifest.schemaSql !== null;
  const loads = manifest.tables.filter((t) => (dataOnly ? t.role !== 'history' : true));
  if (opts.dataOnly && loads.length === 0) {
    throw new KeelError('KEEL_RESTORE_NOTHING', `${dir} is a ${manifest.type}-only backup: it has no data to load`, {
      hint: 'drop --data-only to restore its schema',
    });
  }
  const userLoads = loads.filter((t) => t.role === 'user');

  let cleaned: string[] = [];
  /** The part of schema.sql that runs after the data (foreign keys, indexes, triggers, …), as pg_restore does. */
  let postData = '';
  if (opts.clean && applySchema) {
    cleaned = await wipeDatabase(tx);
    // wipeDatabase empties the shim's auth.users; the other platform tables the backup holds go too.
    await emptyPlatformTables(
      tx,
      loads.filter((t) => t.role === 'platform'),
    );
  }
  const { preamble } = await prepareDatabase(tx);
  if (preamble) await tx.exec(preamble);

  if (applySchema) {
    const existing = await existingTables(tx, manifest.schemas);
    const clash = existing.filter((t) => manifest.tables.some((b) => b.role === 'user' && `${b.schema}.${b.name}` === t.table));
    const withRows = existing.filter((t) => t.rows);
    if (!opts.force && (clash.length || withRows.length)) {
      const list = (clash.length ? clash : withRows).map((t) => t.table);
      throw new KeelError(
        'KEEL_RESTORE_NOT_EMPTY',
        `the target is not empty: ${describeList(list)} ${clash.length ? 'already exist' : 'have rows'}`,
        {
          hint: 'restore into an empty database, or pass --clean (drop every user schema first) or --force (load on top)',
        },
      );
    }
    if (clash.length) {
      // --force onto a database that has the schema: keep it, load the data on top.
      applySchema = false;
      notes.push(
        `the target already has ${describeList(clash.map((t) => t.table))}: schema.sql was not applied, the data was loaded into the existing tables`,
      );
    } else {
      const { rows: ver } = await tx.query<{ v: number }>(`select current_setting('server_version_num')::int as v`);
      const parts = splitSchemaSql(forServer(readSchemaSql(dir, manifest.schemaSql!), ver[0]!.v));
      await tx.exec(parts.pre);
      postData = parts.post;
      if (preamble) await tx.exec(preamble); // schema.sql may have changed settings of its own
    }
  }
  if (!applySchema) {
    const existing = new Map((await existingTables(tx, [...new Set(userLoads.map((t) => t.schema))])).map((t) => [t.table, t.rows]));
    const missing = userLoads.filter((t) => !existing.has(`${t.schema}.${t.name}`)).map((t) => `${t.schema}.${t.name}`);
    if (missing.length) {
      throw new KeelError('KEEL_RESTORE_NO_TABLE', `the target lacks ${describeList(missing)}`, {
        hint: 'a data-only restore loads into existing tables: run `keel db migrate` first',
      });
    }
    if (opts.clean) {
      const names = userLoads.map((t) => qualify(t.schema, t.name));
      if (await isShimAuth(tx))
        names.push(
          ...(await withPlatformReferrers(
            tx,
            loads.filter((t) => t.role === 'auth' || t.role === 'platform'),
          )),
        );
      if (names.length) await tx.exec(`truncate ${names.join(', ')}`);
    } else if (!opts.force) {
      const full = userLoads.filter((t) => existing.get(`${t.schema}.${t.name}`)).map((t) => `${t.schema}.${t.name}`);
      if (full.length) {
        throw new KeelError('KEEL_RESTORE_NOT_EMPTY', `the target is not empty: ${describeList(full)} have rows`, {
          hint: 'pass --clean to empty those tables first, or --force to load on top',
        });
      }
    }
  }
  if (loads.some((t) => t.role === 'history')) await ensureHistoryTables(tx);

  for (const t of [...loads]) {
    if (t.role === 'platform' && !(await tableExists(tx, t.schema, t.name))) {
      notes.push(`the target has no ${t.schema}.${t.name} (its platform lacks it): its ${t.rows} row(s) were not loaded`);
      loads.splice(loads.indexOf(t), 1);
    }
  }
  // --jobs: the user tables this restore just created (no triggers, keys or foreign keys yet) load after this
  // transaction commits, over several sessions; the platform and history rows load here.
  const parallel = jobs > 1 && applySchema;
  const here = parallel ? loads.filter((t) => t.role !== 'user') : loads;
  const deferred = await deferChecks(tx, here, notes);
  const tables: RestoreResult['tables'] = [];
  let rowsSoFar = 0;
  for (const [i, t] of here.entries()) {
    opts.onProgress?.({ table: `${t.schema}.${t.name}`, tablesDone: i, tablesTotal: loads.length, rows: rowsSoFar });
    const rows = await loadTable(engine, tx, dir, t, { merge: t.role === 'history', batchBytes: opts.batchBytes });
    rowsSoFar += rows;
    tables.push({ table: `${t.schema}.${t.name}`, rows });
  }
  await deferred.restore();
  if (parallel) {
    let done = here.length;
    const later: ParallelWork = {
      dir,
      loads: loads.filter((t) => t.role === 'user').sort((a, b) => b.bytes - a.bytes),
      postData,
      preamble,
      schemas: manifest.schemas,
      batchBytes: opts.batchBytes,
      finish: async (last) => {
        if (manifest.type === 'full') await refreshMaterializedViews(last, manifest.schemas, notes);
      },
      onTable: (table, rows) => {
        rowsSoFar += rows;
        opts.onProgress?.({ table, tablesDone: ++done, tablesTotal: loads.length, rows: rowsSoFar });
      },
    };
    const sequences = await setSequences(tx, manifest, opts, notes);
    return { tables, schemaApplied: applySchema, cleaned, sequences, notes, later };
  }
  if (postData) {
    await tx.exec(postData);
    if (preamble) await tx.exec(preamble);
  }
  opts.onProgress?.({ table: '', tablesDone: loads.length, tablesTotal: loads.length, rows: rowsSoFar });

  const sequences = await setSequences(tx, manifest, opts, notes);
  if (applySchema && manifest.type === 'full') await refreshMaterializedViews(tx, manifest.schemas, notes);
  return { tables, schemaApplied: applySchema, cleaned, sequences, notes };
}

/** Sequences to their backed-up values (with --force only forward); the number set. */
async function setSequences(tx: Transaction, manifest: Manifest, opts: RestoreOptions, notes: string[]): Promise<number> {
  let sequences = 0;
  if (manifest.type === 'schema') return 0;
  for (const s of manifest.sequences) {
    const name = await sequenceName(tx, s);
    if (!name) {
      notes.push(`sequence ${s.schema}.${s.name} is not in the target: its value was not set`);
      continue;
    }
    if (opts.force)
      await tx.query(`select setval($1::regclass, greatest($2::bigint, (select last_value from ${name})), true)`, [name, s.lastValue]);
    else await tx.query(`select setval($1::regclass, $2::bigint, $3)`, [name, s.lastValue, s.isCalled]);
    sequences++;
  }
  return sequences;
}

/** `--table`: one table's data into the existing table, or into a new table made like it (`--into`). */
async function restoreTable(
  engine: Engine,
  tx: Transaction,
  dir: string,
  manifest: Manifest,
  opts: RestoreOptions,
): Promise<RestoreResult> {
  const spec = opts.table!;
  const found = manifest.tables.filter(
    (t) => t.role !== 'history' && (spec.includes('.') ? `${t.schema}.${t.name}` === spec : t.name === spec),
  );
  if (found.length !== 1) {
    throw new KeelError(
      'KEEL_RESTORE_NO_TABLE',
      found.length
        ? `"${spec}" names several tables in the backup: ${found.map((t) => `${t.schema}.${t.name}`).join(', ')}`
        : `the backup has no data for table "${spec}"`,
      {
        hint: `tables in it: ${
          manifest.tables
            .filter((t) => t.role !== 'history')
            .map((t) => `${t.schema}.${t.name}`)
            .join(', ') || '(none)'
        }`,
      },
    );
  }
  const t = found[0]!;
  const notes: string[] = [];
  const { preamble } = await prepareDatabase(tx);
  if (preamble) await tx.exec(preamble);
  const original = qualify(t.schema, t.name);
  const [origExists] = (await tx.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [original])).rows.map((r) => r.ok);
  if (opts.into) {
    const [schema, name] = opts.into.includes('.') ? (opts.into.split('.', 2) as [string, string]) : [t.schema, opts.into];
    const into = qualify(schema, name);
    const { rows } = await tx.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [into]);
    if (rows[0]?.ok)
      throw new KeelError('KEEL_RESTORE_EXISTS', `${schema}.${name} already exists`, {
        hint: '--into creates a new table: pick a name that is free',
      });
    if (origExists) await tx.exec(`create table ${into} (like ${original})`);
    else await tx.exec(`create table ${into} (${t.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
    const rowsLoaded = await loadTable(engine, tx, dir, { ...t, schema, name }, { batchBytes: opts.batchBytes });
    notes.push(`merge by hand, e.g. insert into ${original} select * from ${into} where …; then drop table ${into}`);
    return {
      tables: [{ table: `${t.schema}.${t.name}`, rows: rowsLoaded, into: `${schema}.${name}` }],
      schemaApplied: false,
      cleaned: [],
      sequences: 0,
      notes,
    };
  }
  if (!origExists)
    throw new KeelError('KEEL_RESTORE_NO_TABLE', `the target has no table ${t.schema}.${t.name}`, {
      hint: 'run `keel db migrate` first, or restore with --into <new_table>',
    });
  const { rows: has } = await tx.query<{ ok: boolean }>(`select exists (select 1 from ${original}) as ok`);
  if (has[0]?.ok && opts.clean) await tx.exec(`delete from ${original}`);
  else if (has[0]?.ok && !opts.force) {
    throw new KeelError('KEEL_RESTORE_NOT_EMPTY', `${t.schema}.${t.name} has rows`, {
      hint: 'pass --clean to delete them first (in the same transaction), --force to load on top, or --into <new_table> to merge by hand',
    });
  }
  const deferred = await deferChecks(tx, [t], notes, { keepForeignKeys: true });
  const rows = await loadTable(engine, tx, dir, t, { batchBytes: opts.batchBytes });
  await deferred.restore();
  let sequences = 0;
  for (const s of manifest.sequences.filter((s) => s.ownedBy?.schema === t.schema && s.ownedBy.table === t.name)) {
    const name = await sequenceName(tx, s);
    if (!name) continue;
    // Never move a sequence backwards: rows added since the backup keep their ids.
    await tx.query(`select setval($1::regclass, greatest($2::bigint, (select last_value from ${name})), true)`, [name, s.lastValue]);
    sequences++;
  }
  return { tables: [{ table: `${t.schema}.${t.name}`, rows }], schemaApplied: false, cleaned: [], sequences, notes };
}

/**
 * Turns off what must not run while loading a snapshot: user triggers on the loaded tables (their effects are already
 * in the data) and, where the role may set `session_replication_role = replica` (a superuser; PGlite), foreign key
 * checks, so tables in a reference cycle load too. What it could not do goes to `notes`. `restore()` puts each
 * trigger back in its former state.
 */
async function deferChecks(
  tx: Transaction,
  tables: TableEntry[],
  notes: string[],
  o: { keepForeignKeys?: boolean } = {},
): Promise<{ restore: () => Promise<void> }> {
  let replica = false;
  if (!o.keepForeignKeys) {
    replica = await attempt(tx, `set local session_replication_role = replica`);
    if (!replica)
      notes.push(
        'foreign keys were checked while loading (setting session_replication_role needs a superuser): tables in a reference cycle cannot load',
      );
  }
  const { rows } = await tx.query<{ rel: string; name: string; enabled: string }>(
    `select t.tgrelid::regclass::text as rel, t.tgname as name, t.tgenabled as enabled
       from pg_trigger t where not t.tgisinternal and t.tgenabled <> 'D' and t.tgrelid = any($1::regclass[])`,
    [tables.map((t) => qualify(t.schema, t.name))],
  );
  const disabled: typeof rows = [];
  for (const r of rows) {
    if (await attempt(tx, `alter table ${r.rel} disable trigger ${quoteIdent(r.name)}`)) disabled.push(r);
    else notes.push(`trigger ${r.name} on ${r.rel} stayed enabled while loading (only the table's owner can disable it)`);
  }
  return {
    restore: async () => {
      if (replica) await tx.exec(`set local session_replication_role = origin`);
      for (const r of disabled) {
        const how = r.enabled === 'R' ? 'enable replica' : r.enabled === 'A' ? 'enable always' : 'enable';
        await tx.exec(`alter table ${r.rel} ${how} trigger ${quoteIdent(r.name)}`);
      }
    },
  };
}

/** Runs `sql` in a savepoint; false (and the transaction intact) when the server refuses it. */
async function attempt(tx: Transaction, sql: string): Promise<boolean> {
  await tx.exec('savepoint keel_attempt');
  try {
    await tx.exec(sql);
    await tx.exec('release savepoint keel_attempt');
    return true;
  } catch {
    await tx.exec('rollback to savepoint keel_attempt');
    await tx.exec('release savepoint keel_attempt');
    return false;
  }
}

async function sequenceName(tx: Transaction, s: Manifest['sequences'][number]): Promise<string | null> {
  if (s.ownedBy) {
    const { rows } = await tx
      .query<{ name: string | null }>(`select pg_get_serial_sequence($1, $2) as name`, [
        qualify(s.ownedBy.schema, s.ownedBy.table),
        s.ownedBy.column,
      ])
      .catch(() => ({ rows: [] as { name: string | null }[] }));
    if (rows[0]?.name) return rows[0].name;
  }
  const { rows } = await tx.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [qualify(s.schema, s.name)]);
  return rows[0]?.ok ? qualify(s.schema, s.name) : null;
}

async function refreshMaterializedViews(tx: Transaction, schemas: string[], notes: string[]): Promise<void> {
  const { rows } = await tx.query<{ name: string }>(
    `select format('%I.%I', schemaname, matviewname) as name from pg_matviews where schemaname = any($1::text[]) order by 1`,
    [schemas],
  );
  for (const r of rows) {
    if (!(await attempt(tx, `refresh materialized view ${r.name}`)))
      notes.push(`materialized view ${r.name} could not be refreshed: run refresh materialized view yourself`);
  }
}

async function existingTables(tx: Transaction, schemas: string[]): Promise<{ table: string; rows: boolean }[]> {
  if (schemas.length === 0) return [];
  const { rows } = await tx.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any($1::text[]) order by 1, 2`,
    [schemas],
  );
  const out: { table: string; rows: boolean }[] = [];
  for (const r of rows) {
    const { rows: has } = await tx.query<{ ok: boolean }>(`select exists (select 1 from ${qualify(r.schema, r.name)}) as ok`);
    out.push({ table: `${r.schema}.${r.name}`, rows: Boolean(has[0]?.ok) });
  }
  return out;
}

/**
 * Where Keel's shim is the platform, empties its tables that the backup will fill (after wipeDatabase only). On real
 * Supabase they are the platform's: left alone, as auth.users is.
 */
async function tableExists(tx: Transaction, schema: string, name: string): Promise<boolean> {
  const { rows } = await tx.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [qualify(schema, name)]);
  return Boolean(rows[0]?.ok);
}

/**
 * The platform tables of `tables` that the target has, with the platform's tables that reference them (in the same
 * schemas: storage.s3_multipart_uploads references storage.buckets), so one TRUNCATE empties them all. A project table
 * referencing them is not added: TRUNCATE then refuses, and nothing of the project's is emptied by surprise.
 */
async function withPlatformReferrers(tx: Transaction, tables: TableEntry[]): Promise<string[]> {
  const present: string[] = [];
  for (const t of tables) if (await tableExists(tx, t.schema, t.name)) present.push(qualify(t.schema, t.name));
  if (present.length === 0) return [];
  const { rows } = await tx.query<{ name: string }>(
    `with recursive r(oid) as (
       select unnest($1::regclass[])::oid
       union
       select c.conrelid from pg_constraint c join r on c.confrelid = r.oid
         join pg_class k on k.oid = c.conrelid join pg_namespace n on n.oid = k.relnamespace
        where c.contype = 'f' and n.nspname = any($2::text[]))
     select format('%I.%I', n.nspname, c.relname) as name from r join pg_class c on c.oid = r.oid join pg_namespace n on n.oid = c.relnamespace order by 1`,
    [present, [...new Set(tables.map((t) => t.schema))]],
  );
  return rows.map((r) => r.name);
}

async function emptyPlatformTables(tx: Transaction, tables: TableEntry[]): Promise<void> {
  if (tables.length === 0 || !(await isShimAuth(tx))) return;
  const names = await withPlatformReferrers(tx, tables);
  // TRUNCATE, not DELETE: the storage shim, like the platform, refuses direct deletes from its tables.
  if (names.length) await tx.exec(`truncate ${names.join(', ')}`);
}

async function isShimAuth(tx: Transaction): Promise<boolean> {
  const { rows } = await tx.query<{ shim: boolean }>(
    `select coalesce(obj_description(oid, 'pg_namespace'), '') like $1 || '%' as shim from pg_namespace where nspname = 'auth'`,
    [SHIM_MARKER],
  );
  return Boolean(rows[0]?.shim);
}

/** Section titles of renderSchemaSql's output from which on everything can wait until the data is in. */
const POST_DATA_SECTIONS = [
  'primary keys and unique constraints',
  'foreign keys and constraints added not valid',
  'indexes',
  'functions that name a table',
  'views and materialized views',
  'functions that name a view',
  'triggers',
  'row level security',
  'policies',
  'publications',
  'grants',
  'comments on sequences, constraints and indexes',
  PLATFORM_SECTION,
  // backups written before the platform section (Keel 0.x): triggers on auth.users calling the project's functions
  "triggers on tables outside the backup's schemas that call its functions",
];

/**
 * schema.sql cut where its post-data part starts (the first of {@link POST_DATA_SECTIONS}): tables are created before
 * the data, and foreign keys, indexes and triggers after it, as pg_restore does. Loading is faster without indexes
 * to maintain, foreign keys are validated once, and no trigger can fire on restored rows. Without a known section
 * title, everything runs first. The settings at the top (check_function_bodies, …) are repeated for the second part.
 */
export function splitSchemaSql(sql: string): { pre: string; post: string } {
  const at = POST_DATA_SECTIONS.map((title) => sql.indexOf(`\n\n-- ${title}\n`)).filter((i) => i >= 0);
  if (at.length === 0) return { pre: sql, post: '' };
  const cut = Math.min(...at);
  const settings = sql
    .slice(0, cut)
    .split('\n')
    .filter((line) => /^set [a-z_]+ = [^;]+;$/.test(line));
  return { pre: sql.slice(0, cut), post: [...settings, sql.slice(cut)].join('\n') };
}

/**
 * schema.sql as rendered for the source, adapted to an older target: before PG 17 there is no MAINTAIN privilege
 * (a PG 17+ source's ACLs carry it), so it is dropped from grant statements.
 */
export function forServer(sql: string, serverVersion: number): string {
  if (serverVersion >= 170000) return sql;
  return sql.replace(/^grant ([a-z, ]+) on (.*)$/gm, (line, privileges: string, rest: string) => {
    const kept = privileges.split(', ').filter((p) => p !== 'maintain');
    return kept.length ? `grant ${kept.join(', ')} on ${rest}` : '';
  });
}

/** schema.sql, its sha256 checked before any of it runs. */
function readSchemaSql(dir: string, entry: NonNullable<Manifest['schemaSql']>): string {
  const file = path.join(dir, entry.file);
  const buf = fs.readFileSync(file);
  checkSha256(file, createHash('sha256').update(buf).digest('hex'), entry.sha256);
  return buf.toString('utf8');
}

function describeList(items: string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${items.length - 5} more`;
}
