/**
 * What the catalog rules share: which schemas are Supabase's own (never linted), who counts as "the API" (anon,
 * authenticated, PUBLIC), how objects are named in findings and SQL, and a walk over parse trees.
 *
 * Catalog rules are pure functions of the catalog model; the only SQL they read (view definitions, index
 * definitions) goes through the real Postgres parser, so the runner must `await ensureParser()` before `check()`.
 */
import type { Node } from 'libpg-query';
import type { Catalog, Grant, Routine, Table, View } from '../../../core/catalog/index.js';
import { isParserReady, parseSql } from '../../../core/sql/parser.js';
import { qualified, quoteIdent } from '../../../core/sql/quote.js';
import { PROTECTED_SCHEMAS } from '../../migrate/reset.js';

/**
 * Schemas Supabase, a well-known extension, the shim or Keel manage (reset's PROTECTED_SCHEMAS): their objects are not
 * the project's, so no catalog rule reports on them. It covers the list splinter skips, so both linters look at the
 * same objects. `auth.users` is still read as the target of auth_users_exposed.
 */
export const PLATFORM_SCHEMAS: ReadonlySet<string> = new Set([...PROTECTED_SCHEMAS, 'pg_catalog']);

/** The roles PostgREST switches to for API requests; a grant to one of them (or to PUBLIC) makes an object reachable. */
export const API_ROLES = ['anon', 'authenticated'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** Roles that bypass RLS in a Supabase database: policies never apply to them, so overlaps among them do not matter. */
export const BYPASS_RLS_ROLES: ReadonlySet<string> = new Set([
  'postgres',
  'service_role',
  'supabase_admin',
  'supabase_auth_admin',
  'supabase_storage_admin',
]);

/** Is this schema the project's own (not one of PLATFORM_SCHEMAS)? */
export function isUserSchema(schema: string): boolean {
  return !PLATFORM_SCHEMAS.has(schema) && !schema.startsWith('pg_');
}

/** Is this schema exposed through the API (and the project's own)? */
export function isExposed(ctx: { exposedSchemas: string[] }, schema: string): boolean {
  return ctx.exposedSchemas.includes(schema) && isUserSchema(schema);
}

/**
 * Does `role` hold `privilege` on an object with these grants, directly or through PUBLIC? Role membership is not
 * followed: anon and authenticated are leaf roles, members of no other role (and NOINHERIT, in Supabase and in the
 * shim), so the object's ACL plus PUBLIC is the whole answer, as `has_table_privilege` computes it there.
 */
export function roleHas(grants: Grant[], role: string, privilege: string): boolean {
  return grants.some((g) => (g.grantee === role || g.grantee === 'PUBLIC') && g.privilege === privilege);
}

/** The API roles (anon, authenticated) that hold `privilege` on an object, in that order. */
export function apiRolesWith(grants: Grant[], privilege: string): ApiRole[] {
  return API_ROLES.filter((r) => roleHas(grants, r, privilege));
}

/** Names in fixes and objects are quoted as Postgres's quote_ident does (one shared implementation). */
export { qualified, quoteIdent };

/** `public.is_team_member(uuid)`: a function named by its identity argument types, as findings name functions. */
export function functionSignature(fn: Routine): string {
  const types = fn.arguments
    .filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic')
    .map((a) => (a.mode === 'variadic' ? `variadic ${a.type}` : a.type));
  return `${qualified(fn.schema, fn.name)}(${types.join(', ')})`;
}

/** Every node of a parse tree (objects and arrays, depth first), for finding node types anywhere in a statement. */
export function* walk(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) {
    for (const item of node) yield* walk(item);
  } else if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    yield obj;
    for (const value of Object.values(obj)) yield* walk(value);
  }
}

/** The parsed statement of one SQL text (a definition the server deparsed); throws when the parser is not loaded. */
export function parseOne(sql: string, what: string): Node | undefined {
  if (!isParserReady())
    throw new Error(`internal error: lint catalog rules need the SQL parser for ${what}; await ensureParser() before check()`);
  return parseSql(sql).stmts?.[0]?.stmt;
}

/** A table by schema and name. */
export function findTable(catalog: Catalog, schema: string, name: string): Table | undefined {
  return catalog.tables.find((t) => t.schema === schema && t.name === name);
}

/** A view or materialized view by schema and name, with which it is. */
export function findView(catalog: Catalog, schema: string, name: string): { view: View; materialized: boolean } | undefined {
  const view = catalog.views.find((v) => v.schema === schema && v.name === name);
  if (view) return { view, materialized: false };
  const mat = catalog.materializedViews.find((v) => v.schema === schema && v.name === name);
  return mat ? { view: mat, materialized: true } : undefined;
}

/** `a, b and c`. */
export function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
