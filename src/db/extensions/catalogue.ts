/**
 * The extensions a hosted Supabase project has (supabase/postgres ships them), and what Keel does with each where the
 * engine lacks the real one. The real extension always wins: on a server, whatever `pg_available_extensions` lists
 * (and, for those needing it, `shared_preload_libraries` loads); on PGlite, its contrib modules and packages
 * (src/db/pglite/extensions.ts).
 *
 * - `stand-in`: same schema, tables and function signatures; records calls, runs or sends nothing. Refused when
 *   `[db] stand_ins = false`.
 * - `keel-sql`: a plain-SQL extension Keel implements in full (pgjwt), created in the schema the line names.
 * - `shim`: provided by the Supabase shim (supabase_vault); `create extension` only checks it is there.
 * - `error`: a precise error naming the file, line, extension and the engines that have it.
 */
export type Fallback = 'stand-in' | 'keel-sql' | 'shim' | 'error';

export interface PlatformExtension {
  name: string;
  /** What it is, for messages and the README table. */
  about: string;
  /** What Keel does where the engine lacks it. */
  fallback: Fallback;
  /** Created on every new hosted project. */
  platformDefault?: boolean;
  /** Library the real one needs in `shared_preload_libraries` (a server only creates it when loaded there). */
  preload?: string;
  /** Extensions it requires (created first with CASCADE, as Postgres does). */
  requires?: string[];
  /** Where its objects go whatever `with schema` says (non-relocatable extensions that make their own schema). */
  ownSchema?: string;
  /** The Debian package that installs the real one on a server, for the hint. */
  debian?: string;
}

const list: PlatformExtension[] = [
  {
    name: 'pg_cron',
    about: 'job scheduler',
    fallback: 'stand-in',
    preload: 'pg_cron',
    ownSchema: 'cron',
    debian: 'postgresql-<major>-cron',
  },
  { name: 'pg_net', about: 'async HTTP from SQL', fallback: 'stand-in', preload: 'pg_net', ownSchema: 'net' },
  { name: 'http', about: 'synchronous HTTP client (pgsql-http)', fallback: 'stand-in', debian: 'postgresql-<major>-http' },
  { name: 'pg_graphql', about: 'GraphQL over the schema', fallback: 'stand-in', platformDefault: true, ownSchema: 'graphql' },
  { name: 'pgsodium', about: 'libsodium functions (superseded by Vault)', fallback: 'shim' },
  { name: 'supabase_vault', about: 'Vault secrets', fallback: 'shim', platformDefault: true },
  { name: 'pgjwt', about: 'JSON Web Tokens (HS256/384/512)', fallback: 'keel-sql', requires: ['pgcrypto'] },
  { name: 'vector', about: 'pgvector embeddings and indexes', fallback: 'error', debian: 'postgresql-<major>-pgvector' },
  { name: 'postgis', about: 'geography and geometry', fallback: 'error', debian: 'postgresql-<major>-postgis-3' },
  { name: 'postgis_raster', about: 'PostGIS rasters', fallback: 'error', debian: 'postgresql-<major>-postgis-3' },
  { name: 'postgis_topology', about: 'PostGIS topology', fallback: 'error', debian: 'postgresql-<major>-postgis-3' },
  { name: 'postgis_tiger_geocoder', about: 'PostGIS TIGER geocoder', fallback: 'error', debian: 'postgresql-<major>-postgis-3' },
  { name: 'postgis_sfcgal', about: 'PostGIS SFCGAL', fallback: 'error', debian: 'postgresql-<major>-postgis-3' },
  { name: 'address_standardizer', about: 'PostGIS address standardizer', fallback: 'error', debian: 'postgresql-<major>-postgis-3' },
  {
    name: 'address_standardizer_data_us',
    about: 'PostGIS address standardizer data',
    fallback: 'error',
    debian: 'postgresql-<major>-postgis-3',
  },
  { name: 'pgrouting', about: 'routing over PostGIS', fallback: 'error', debian: 'postgresql-<major>-pgrouting' },
  { name: 'pgmq', about: 'message queues', fallback: 'keel-sql', ownSchema: 'pgmq' },
  { name: 'wrappers', about: 'foreign data wrappers (Stripe, S3, …)', fallback: 'error' },
  { name: 'pg_tle', about: 'trusted language extensions (dbdev)', fallback: 'error' },
  { name: 'pg_jsonschema', about: 'JSON Schema validation', fallback: 'error' },
  { name: 'pg_hashids', about: 'short ids from numbers', fallback: 'error' },
  { name: 'pg_stat_monitor', about: 'query statistics', fallback: 'error' },
  { name: 'pgaudit', about: 'audit logging', fallback: 'error', preload: 'pgaudit', debian: 'postgresql-<major>-pgaudit' },
  { name: 'pgroonga', about: 'full-text search for all languages', fallback: 'error' },
  { name: 'pg_repack', about: 'online table repacking', fallback: 'error', debian: 'postgresql-<major>-repack' },
  { name: 'plpgsql_check', about: 'PL/pgSQL linter', fallback: 'error', debian: 'postgresql-<major>-plpgsql-check' },
  { name: 'plv8', about: 'JavaScript functions', fallback: 'error' },
  { name: 'timescaledb', about: 'time series', fallback: 'error', preload: 'timescaledb' },
  { name: 'rum', about: 'RUM index access method', fallback: 'error', debian: 'postgresql-<major>-rum' },
  { name: 'hypopg', about: 'hypothetical indexes', fallback: 'error', debian: 'postgresql-<major>-hypopg' },
  { name: 'index_advisor', about: 'index recommendations (needs hypopg)', fallback: 'error' },
  { name: 'pg_partman', about: 'partition management', fallback: 'error', debian: 'postgresql-<major>-partman' },
  { name: 'orioledb', about: 'OrioleDB storage engine', fallback: 'error' },
  { name: 'pgtap', about: 'unit tests', fallback: 'error', debian: 'postgresql-<major>-pgtap' },
  { name: 'pg_stat_statements', about: 'query statistics', fallback: 'error', platformDefault: true },
  { name: 'pgcrypto', about: 'cryptographic functions', fallback: 'error', platformDefault: true },
  { name: 'uuid-ossp', about: 'UUID generators', fallback: 'error', platformDefault: true },
  { name: 'plpgsql', about: 'PL/pgSQL', fallback: 'error', platformDefault: true },
  // contrib modules hosted projects offer (a server with postgresql-contrib has them all; PGlite most)
  ...[
    'amcheck',
    'autoinc',
    'bloom',
    'btree_gin',
    'btree_gist',
    'citext',
    'cube',
    'dblink',
    'dict_int',
    'dict_xsyn',
    'earthdistance',
    'fuzzystrmatch',
    'hstore',
    'insert_username',
    'intagg',
    'intarray',
    'isn',
    'lo',
    'ltree',
    'moddatetime',
    'pageinspect',
    'pg_buffercache',
    'pg_freespacemap',
    'pg_prewarm',
    'pg_surgery',
    'pg_trgm',
    'pg_visibility',
    'pg_walinspect',
    'pgrowlocks',
    'pgstattuple',
    'postgres_fdw',
    'refint',
    'seg',
    'sslinfo',
    'tablefunc',
    'tcn',
    'tsm_system_rows',
    'tsm_system_time',
    'unaccent',
    'xml2',
  ].map((name): PlatformExtension => ({ name, about: 'contrib module', fallback: 'error', debian: 'postgresql-contrib' })),
];

/** Platform extensions by name. */
export const PLATFORM_EXTENSIONS: ReadonlyMap<string, PlatformExtension> = new Map(list.map((e) => [e.name, e]));
