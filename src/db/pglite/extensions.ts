import fs from 'node:fs';

/** Contrib extensions PGlite ships, by SQL name → module name. Each one registered costs ~100 ms at open. */
export const PGLITE_CONTRIB: Record<string, string> = Object.fromEntries(
  [
    'amcheck',
    'bloom',
    'btree_gin',
    'btree_gist',
    'citext',
    'cube',
    'dict_int',
    'dict_xsyn',
    'earthdistance',
    'fuzzystrmatch',
    'hstore',
    'intarray',
    'isn',
    'lo',
    'ltree',
    'moddatetime',
    'pageinspect',
    'pg_buffercache',
    'pg_freespacemap',
    'pg_stat_statements',
    'pg_surgery',
    'pg_trgm',
    'pg_visibility',
    'pg_walinspect',
    'pgcrypto',
    'seg',
    'tablefunc',
    'tcn',
    'tsm_system_rows',
    'tsm_system_time',
    'unaccent',
    'uuid_ossp',
  ].map((m) => [m.replace('uuid_ossp', 'uuid-ossp'), m]),
);

/**
 * Extensions PGlite loads from packages of their own (not `@electric-sql/pglite/contrib`), by SQL name = module name
 * → npm package, which exports the extension under the module name.
 */
export const PGLITE_PACKAGES: Record<string, string> = { pgtap: '@electric-sql/pglite-pgtap', vector: '@electric-sql/pglite-pgvector' };

/** Extensions PGlite can create (when registered at open): its contrib modules, its packages, and plpgsql (built in). */
export function pgliteCanHave(sqlName: string): boolean {
  return sqlName === 'plpgsql' || sqlName in PGLITE_CONTRIB || sqlName in PGLITE_PACKAGES;
}

/** The import specifier of an extension module (what the worker imports). */
export function extensionSpecifier(module: string): string {
  return PGLITE_PACKAGES[module] ?? `@electric-sql/pglite/contrib/${module}`;
}

/** What the Supabase shim installs; always registered. */
const BASE_EXTENSIONS = ['uuid-ossp', 'pgcrypto'];

/**
 * The extensions to register, by module name (pg_trgm first, which the PGlite notes advise; see trigramsWork for why
 * that alone is not enough); unknown names dropped (CREATE EXTENSION then fails with Postgres's message).
 */
export function extensionModules(sqlNames: Iterable<string>): string[] {
  const names = [...new Set([...BASE_EXTENSIONS, ...sqlNames])].sort((a, b) => Number(b === 'pg_trgm') - Number(a === 'pg_trgm'));
  return names.map((n) => PGLITE_CONTRIB[n] ?? (PGLITE_PACKAGES[n] ? n : undefined)).filter((m): m is string => m !== undefined);
}

/** Extensions registered for a data dir are kept beside it: a later open must register them again to use them. */
export function rememberExtensions(dataDir: string | undefined, wanted: string[]): string[] {
  if (!dataDir) return wanted;
  const file = `${dataDir}.extensions.json`;
  let known: string[] = [];
  try {
    if (!isEmptyDir(dataDir)) known = JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
  } catch {
    known = [];
  }
  const all = [...new Set([...known, ...wanted])].sort();
  if (all.join() !== known.join()) fs.writeFileSync(file, JSON.stringify(all));
  return all;
}

export function isEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}
