import type { EngineKind, Queryable } from '../engine.js';
import { pgliteCanHave } from '../pglite/extensions.js';
import { PLATFORM_EXTENSIONS } from './catalogue.js';
import { MARKER_TABLE } from './stand-ins/marker.js';

/** What the database can do about some extensions, read in one or two round trips before a file runs. */
export interface ExtensionState {
  engine: EngineKind;
  /** Real extensions the engine can create here. */
  available: Set<string>;
  /** Available, but not creatable here, with why (e.g. not in shared_preload_libraries). */
  unloadable: Map<string, string>;
  /** Extensions created already, by name → schema. */
  installed: Map<string, string>;
  /** Stand-ins (and Keel's own SQL extensions) created already, by name → schema. */
  standIns: Map<string, string>;
  /** The schema CREATE EXTENSION would use without WITH SCHEMA (first existing on search_path), or null. */
  currentSchema: string | null;
  /** `vault.secrets` exists (the shim's vault). */
  vault: boolean;
  /** A `pgsodium` schema exists. */
  pgsodiumSchema: boolean;
  serverVersion: number;
}

interface Row {
  name: string;
  available: boolean;
  schema: string | null;
}

/**
 * Reads the state for `names`. A server has an extension when `pg_available_extensions` lists it and, for those that
 * need it, `shared_preload_libraries` loads it (pg_cron also only in `cron.database_name`); PGlite when it ships it.
 */
export async function readExtensionState(db: Queryable, engine: EngineKind, names: string[]): Promise<ExtensionState> {
  const { rows } = await db.query<Row>(
    `select n.name, exists (select 1 from pg_available_extensions a where a.name = n.name) as available,
            (select e.extnamespace::regnamespace::text from pg_extension e where e.extname = n.name) as schema
       from unnest($1::text[]) as n(name)`,
    [names],
  );
  const {
    rows: [env],
  } = await db.query<{
    preload: string;
    cron_db: string | null;
    db: string;
    schema: string | null;
    marker: boolean;
    vault: boolean;
    pgsodium: boolean;
    version: string;
  }>(
    `select current_setting('shared_preload_libraries') as preload, current_setting('cron.database_name', true) as cron_db,
            current_database() as db, current_schema() as schema, to_regclass('${MARKER_TABLE}') is not null as marker,
            to_regclass('vault.secrets') is not null as vault, to_regnamespace('pgsodium') is not null as pgsodium,
            current_setting('server_version_num') as version`,
  );
  const preloaded = new Set(
    env!.preload
      .split(',')
      .map((s) => s.trim().replace(/^"|"$/g, ''))
      .filter(Boolean),
  );
  const available = new Set<string>();
  const unloadable = new Map<string, string>();
  const installed = new Map<string, string>();
  for (const r of rows) {
    if (r.schema !== null) installed.set(r.name, r.schema);
    const has = r.available || (engine === 'pglite' && pgliteCanHave(r.name));
    if (!has) continue;
    const preload = PLATFORM_EXTENSIONS.get(r.name)?.preload;
    if (engine === 'postgres' && preload && !preloaded.has(preload)) {
      unloadable.set(r.name, `installed on the server, but the server does not load it (shared_preload_libraries = '${env!.preload}')`);
    } else if (engine === 'postgres' && r.name === 'pg_cron' && (env!.cron_db ?? 'postgres') !== env!.db) {
      unloadable.set(
        r.name,
        `installed on the server, but pg_cron lives in database "${env!.cron_db ?? 'postgres'}" (cron.database_name), not "${env!.db}"`,
      );
    } else {
      available.add(r.name);
    }
  }
  const standIns = new Map<string, string>();
  if (env!.marker) {
    const { rows: marked } = await db.query<{ extension: string; schema: string }>(`select extension, schema from ${MARKER_TABLE}`);
    for (const m of marked) standIns.set(m.extension, m.schema);
  }
  return {
    engine,
    available,
    unloadable,
    installed,
    standIns,
    currentSchema: env!.schema,
    vault: env!.vault,
    pgsodiumSchema: env!.pgsodium,
    serverVersion: Number(env!.version),
  };
}
