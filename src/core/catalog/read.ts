/**
 * readCatalog: runs every reader under fixed session settings and assembles the model.
 */
import type { Engine, Queryable } from '../../db/engine.js';
import type { Catalog, ReadCatalogOptions } from './model.js';
import { readColumns } from './read-columns.js';
import { readConstraints } from './read-constraints.js';
import { readFunctions } from './read-functions.js';
import { readRelationGrants, readRoutineGrants } from './read-grants.js';
import { readIndexes } from './read-indexes.js';
import { readPolicies } from './read-policies.js';
import { readPublications } from './read-publications.js';
import { readViews, readSequences } from './read-relations.js';
import { readExtensions, readSchemas } from './read-schemas.js';
import { readTables } from './read-tables.js';
import { readTriggers } from './read-triggers.js';
import { readComposites, readDomains, readEnums } from './read-types.js';
import { catalogQuery } from './shared.js';

/**
 * Settings every deparse depends on. An empty search_path makes the server schema-qualify every name outside
 * pg_catalog, so the text does not depend on the caller's path (which differs between a fresh pooled connection and
 * the one that ran the Supabase shim). Date/time constants in defaults and partition bounds print in the session's
 * DateStyle and TimeZone, and float constants by extra_float_digits: the values pg_dump uses, plus UTC.
 */
const SETTINGS: [string, string][] = [
  ['search_path', ''],
  ['DateStyle', 'ISO, YMD'],
  ['IntervalStyle', 'postgres'],
  ['TimeZone', 'UTC'],
  ['extra_float_digits', '3'],
];

/**
 * Reads the catalog of a database: schemas, extensions, types, tables (columns, constraints, indexes, grants),
 * views, materialized views, sequences, functions, triggers, policies and publications, sorted so that two reads of the same
 * schema are deep-equal. Works on PostgreSQL 14 and later (tested on 15 and on PGlite's 18).
 *
 * Given an Engine, it reads inside its own REPEATABLE READ, READ ONLY transaction, so all queries see one snapshot.
 * Any other Queryable must be a single session (a `transaction` callback's `tx`, say): the session settings are set
 * for the read and put back afterwards.
 *
 * @example
 * const engine = await openEngine({ kind: 'pglite', memory: true });
 * const catalog = await readCatalog(engine, { schemas: ['public'] });
 * catalog.tables.map((t) => `${t.schema}.${t.name}`); // ['public.projects', 'public.tasks']
 */
export async function readCatalog(db: Queryable, opts: ReadCatalogOptions = {}): Promise<Catalog> {
  if (isEngine(db)) {
    return db.transaction(async (tx) => {
      await tx.query('set transaction isolation level repeatable read, read only');
      await applySettings(tx, SETTINGS, true);
      return readAll(tx, opts);
    });
  }
  const names = SETTINGS.map(([name]) => name);
  const { rows } = await db.query<{ values: string[] }>(
    `select array[${names.map((_, i) => `current_setting($${i + 1})`).join(', ')}] as values`,
    names,
  );
  const saved = names.map((name, i): [string, string] => [name, rows[0]?.values[i] ?? '']);
  await applySettings(db, SETTINGS, false);
  let catalog: Catalog;
  try {
    catalog = await readAll(db, opts);
  } catch (err) {
    // In an aborted transaction nothing runs, and ROLLBACK puts the settings back anyway: keep the real error.
    await applySettings(db, saved, false).catch(() => undefined);
    throw err;
  }
  await applySettings(db, saved, false);
  return catalog;
}

function isEngine(db: Queryable): db is Engine {
  return typeof (db as Partial<Engine>).transaction === 'function';
}

async function applySettings(db: Queryable, settings: [string, string][], local: boolean): Promise<void> {
  const calls = settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, ${local})`).join(', ');
  await db.query(`select ${calls}`, settings.flat());
}

async function readAll(db: Queryable, opts: ReadCatalogOptions): Promise<Catalog> {
  const schemas = await readSchemas(db, opts.schemas);
  const q = catalogQuery(
    db,
    schemas.map((s) => s.name),
  );
  // Sequential on purpose: a transaction handle is one connection, and PGlite runs one query at a time anyway.
  const extensions = await readExtensions(db);
  const columns = await readColumns(q);
  const constraints = await readConstraints(q);
  const indexes = await readIndexes(q);
  const grants = await readRelationGrants(q);
  const routineGrants = await readRoutineGrants(q);
  const tables = await readTables(q, { columns, constraints, indexes, grants });
  const { views, materializedViews } = await readViews(q, { columns, indexes, grants });
  return {
    schemas,
    extensions,
    enums: await readEnums(q),
    domains: await readDomains(q),
    composites: await readComposites(q, columns),
    tables,
    views,
    materializedViews,
    sequences: await readSequences(q, grants),
    functions: await readFunctions(q, routineGrants),
    triggers: await readTriggers(q),
    policies: await readPolicies(q),
    publications: await readPublications(db, q),
  };
}
