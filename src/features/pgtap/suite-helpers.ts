/**
 * What a project's suites do about the Supabase test helpers, read from their parse trees: which helper functions
 * they define themselves, which helper schemas they create, and whether they install the community helpers
 * (`select dbdev.install('basejump-supabase_test_helpers')`, `create extension "basejump-supabase_test_helpers"`).
 */
import type { Statement } from '../../core/sql/split.js';
import type { Queryable } from '../../db/engine.js';
import { TEST_HELPER_SCHEMAS } from './helpers-sql.js';

/** The community helpers' names: on dbdev, and as an extension. */
export const COMMUNITY_HELPERS = new Set(['basejump-supabase_test_helpers', 'supabase_test_helpers']);

const names = (list: unknown): string[] =>
  Array.isArray(list) ? list.map((n) => (n as { String?: { sval?: string } }).String?.sval ?? '') : [];

/** `create extension "basejump-supabase_test_helpers"` (or `supabase_test_helpers`). */
export function isCommunityHelpersExtension(stmt: Statement): boolean {
  return stmt.kind === 'CreateExtensionStmt' && typeof stmt.ast.extname === 'string' && COMMUNITY_HELPERS.has(stmt.ast.extname);
}

/** `select dbdev.install('basejump-supabase_test_helpers')`. */
export function isDbdevInstallOfHelpers(stmt: Statement): boolean {
  if (stmt.kind !== 'SelectStmt') return false;
  const targets = stmt.ast.targetList as { ResTarget?: { val?: Record<string, unknown> } }[] | undefined;
  if (!targets || targets.length !== 1) return false;
  const call = targets[0]?.ResTarget?.val?.FuncCall as { funcname?: unknown; args?: Record<string, unknown>[] } | undefined;
  const arg = (call?.args?.[0]?.A_Const as { sval?: { sval?: string } } | undefined)?.sval?.sval;
  return names(call?.funcname).join('.') === 'dbdev.install' && arg !== undefined && COMMUNITY_HELPERS.has(arg);
}

/** What the suites bring of their own. */
export interface SuiteHelperUse {
  /** `schema.name` of helper functions a suite creates (see ProjectHelpers). */
  defines: Set<string>;
  /** Helper schemas a suite creates without IF NOT EXISTS. */
  ownsSchemas: Set<string>;
  /** Some suite installs the community helpers (dbdev.install or create extension). */
  installsCommunity: boolean;
}

/**
 * Reads every statement of every suite: `create function tests.x` / `test_overrides.x` (schema-qualified), `create
 * schema tests` without IF NOT EXISTS, and the community install statements.
 *
 * @example
 * helperUseOf([[…statements of `create or replace function tests.authenticate_as(uid uuid) …`]]).defines // Set { 'tests.authenticate_as' }
 */
export function helperUseOf(suites: Statement[][]): SuiteHelperUse {
  const use: SuiteHelperUse = { defines: new Set(), ownsSchemas: new Set(), installsCommunity: false };
  for (const stmt of suites.flat()) {
    if (stmt.kind === 'CreateFunctionStmt') {
      const [schema, name, extra] = names(stmt.ast.funcname);
      if (schema && name && extra === undefined && TEST_HELPER_SCHEMAS.includes(schema)) use.defines.add(`${schema}.${name}`);
    } else if (stmt.kind === 'CreateSchemaStmt') {
      const schema = stmt.ast.schemaname;
      if (typeof schema === 'string' && TEST_HELPER_SCHEMAS.includes(schema) && stmt.ast.if_not_exists !== true)
        use.ownsSchemas.add(schema);
    } else if (isCommunityHelpersExtension(stmt) || isDbdevInstallOfHelpers(stmt)) {
      use.installsCommunity = true;
    }
  }
  return use;
}

/**
 * True when this database can install the community helpers itself: the extension is available (pg_tle, or its files
 * on the server), or `dbdev.install()` exists. Otherwise Keel's built-in helpers stand in and the install statements
 * are skipped.
 */
export async function databaseProvidesCommunityHelpers(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ provides: boolean }>(
    `select exists (select 1 from pg_available_extensions where name = any($1::text[]))
         or exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'dbdev' and p.proname = 'install')
         as provides`,
    [[...COMMUNITY_HELPERS]],
  );
  return rows[0]?.provides === true;
}
