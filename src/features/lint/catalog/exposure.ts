/**
 * What the API exposes (splinter 0002, 0010, 0014, 0023): security definer views, views that hand out auth.users,
 * tables without RLS holding sensitive columns, and extensions installed in public.
 */
import type { Catalog, Table, View } from '../../../core/catalog/index.js';
import type { LintContext, RuleSet } from '../context.js';
import type { Finding, RuleInfo } from '../finding.js';
import {
  API_ROLES,
  apiRolesWith,
  findTable,
  findView,
  isExposed,
  listing,
  parseOne,
  qualified,
  quoteIdent,
  roleHas,
  walk,
  type ApiRole,
} from './shared.js';

const rules: RuleInfo[] = [
  {
    id: 'security_definer_view',
    level: 'error',
    category: 'security',
    summary: "A view in an exposed schema that anon or authenticated can select runs with its owner's privileges (no security_invoker).",
  },
  {
    id: 'auth_users_exposed',
    level: 'error',
    category: 'security',
    summary: 'A view or materialized view in an exposed schema lets anon or authenticated read auth.users.',
  },
  {
    id: 'sensitive_columns_exposed',
    level: 'error',
    category: 'security',
    summary: 'A table in an exposed schema without RLS, selectable by anon or authenticated, has columns that look sensitive.',
  },
  {
    id: 'extension_in_public',
    level: 'warn',
    category: 'security',
    summary: 'An extension is installed in public (or another exposed schema), where its functions and tables join the API.',
  },
];

// ---------------------------------------------------------------------------------------------------------------
// security_definer_view

function securityDefinerView(ctx: LintContext, v: View): Finding | undefined {
  if (!isExposed(ctx, v.schema) || v.securityInvoker) return undefined;
  const roles = apiRolesWith(v.grants, 'SELECT');
  if (roles.length === 0) return undefined;
  const name = qualified(v.schema, v.name);
  return {
    rule: 'security_definer_view',
    level: 'error',
    object: name,
    objectKind: 'view',
    message: `view ${name} in the exposed schema ${v.schema} is selectable by ${listing(roles)} and runs with its owner's privileges (security_invoker is off), so the RLS policies of the tables it reads are checked against the owner, not the caller`,
    remediation: `alter view ${name} set (security_invoker = on);`,
    source: { kind: 'view', schema: v.schema, name: v.name },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// auth_users_exposed

const viewRefsCache = new WeakMap<View, { schema: string; name: string }[]>();

/** Schema-qualified relations a view's definition reads (RangeVar nodes; unqualified ones are CTE names). */
function viewReferences(v: View): { schema: string; name: string }[] {
  let refs = viewRefsCache.get(v);
  if (!refs) {
    const stmt = parseOne(v.definition, `view ${v.schema}.${v.name}`);
    const seen = new Map<string, { schema: string; name: string }>();
    for (const node of walk(stmt)) {
      const rv = node.RangeVar as { schemaname?: string; relname?: string } | undefined;
      if (rv?.schemaname && rv.relname) seen.set(`${rv.schemaname}.${rv.relname}`, { schema: rv.schemaname, name: rv.relname });
    }
    refs = [...seen.values()];
    viewRefsCache.set(v, refs);
  }
  return refs;
}

interface Reach {
  /** The views from the one selected to auth.users: `['public.a', 'private.b', 'auth.users']`. */
  path: string[];
  /** Why the role gets the rows: the first hop that reads as its owner, or null when the role reads auth.users itself. */
  ownerHop: { name: string; materialized: boolean } | null;
}

/**
 * Can `role`, selecting from this view, get rows of auth.users? Follows views through views: once a hop runs with
 * its owner's privileges (a view without security_invoker, or a materialized view, whose rows were stored by its
 * owner), everything below it is read as the owner. Through security invoker hops only, the role itself must be
 * allowed to select auth.users, and auth.users must have no RLS.
 */
function reachesAuthUsers(
  catalog: Catalog,
  role: ApiRole,
  v: View,
  materialized: boolean,
  ownerHop: Reach['ownerHop'],
  seen: Set<View>,
): Reach | null {
  if (seen.has(v)) return null;
  seen.add(v);
  const here = qualified(v.schema, v.name);
  const hop = ownerHop ?? (materialized || !v.securityInvoker ? { name: here, materialized } : null);
  for (const ref of viewReferences(v)) {
    if (ref.schema === 'auth' && ref.name === 'users') {
      const users: Table | undefined = findTable(catalog, 'auth', 'users');
      if (hop || (users !== undefined && !users.rlsEnabled && roleHas(users.grants, role, 'SELECT')))
        return { path: [here, 'auth.users'], ownerHop: hop };
      continue;
    }
    const inner = findView(catalog, ref.schema, ref.name);
    if (!inner || (!hop && !roleHas(inner.view.grants, role, 'SELECT'))) continue;
    const reach = reachesAuthUsers(catalog, role, inner.view, inner.materialized, hop, seen);
    if (reach) return { path: [here, ...reach.path], ownerHop: reach.ownerHop };
  }
  return null;
}

function authUsersExposed(ctx: LintContext, v: View, materialized: boolean): Finding | undefined {
  if (!isExposed(ctx, v.schema)) return undefined;
  const hits = API_ROLES.flatMap((role) => {
    if (!roleHas(v.grants, role, 'SELECT')) return [];
    const reach = reachesAuthUsers(ctx.catalog, role, v, materialized, null, new Set());
    return reach ? [{ role, reach }] : [];
  });
  if (hits.length === 0) return undefined;
  const name = qualified(v.schema, v.name);
  const kind = materialized ? 'materialized view' : 'view';
  const { path, ownerHop } = hits[0]!.reach;
  const through = path.length > 2 ? ` (through ${path.slice(1, -1).join(' → ')})` : '';
  const why = !ownerHop
    ? 'auth.users has no RLS and the role may select it'
    : ownerHop.materialized
      ? `${ownerHop.name === name ? 'a materialized view' : `the materialized view ${ownerHop.name}`} stores its rows and has no RLS`
      : `${ownerHop.name === name ? 'it' : ownerHop.name} reads auth.users with its owner's privileges`;
  return {
    rule: 'auth_users_exposed',
    level: 'error',
    object: name,
    objectKind: 'view',
    message: `${kind} ${name} in the exposed schema ${v.schema} reads auth.users${through} and ${listing(hits.map((h) => h.role))} can select it: ${why}, so user emails and metadata leak through the API`,
    remediation: materialized
      ? `revoke select on ${name} from anon, authenticated; or move it to a schema the API does not expose`
      : `revoke select on ${name} from anon, authenticated; or keep the user data in a public.profiles table with RLS and read that instead`,
    source: { kind: 'view', schema: v.schema, name: v.name },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// sensitive_columns_exposed

/**
 * Column names that look sensitive. A column matches when its normalised name (lower case, camelCase and '-' turned
 * into '_') is one of SENSITIVE_NAMES, or contains one of SENSITIVE_PARTS as a run of whole words
 * (`password_hash`, `stripe_api_key`, `user_ssn`). SENSITIVE_PARTS holds names too specific to be anything else;
 * the broad ones (`token`, `otp`, `certificate`, …) must be the whole name, or `token_count` would match.
 * Together they cover splinter's list, so Keel reports every table splinter does.
 */
export const SENSITIVE_PARTS: readonly string[] = [
  // credentials
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secret_key',
  'private_key',
  'api_key',
  'apikey',
  'access_token',
  'refresh_token',
  'oauth_token',
  'session_token',
  'bearer_token',
  'session_secret',
  'recovery_code',
  'backup_code',
  '2fa_secret',
  'totp_secret',
  'otp_secret',
  // personal identifiers
  'ssn',
  'social_security',
  'social_security_number',
  'driver_license',
  'drivers_license',
  'passport_number',
  'national_id',
  'tax_id',
  // financial
  'credit_card',
  'card_number',
  'cvv',
  'cvc',
  'bank_account',
  'routing_number',
  'iban',
];

export const SENSITIVE_NAMES: readonly string[] = [
  'pwd',
  'token',
  'jwt',
  'auth_key',
  'auth_code',
  'session_id',
  'session_key',
  'verification_code',
  'otp',
  'two_factor',
  '2fa_code',
  'license_number',
  'passport_id',
  'cvn',
  'account_number',
  'swift_code',
  'bic',
  'health_record',
  'medical_record',
  'patient_id',
  'insurance_number',
  'health_insurance',
  'medical_insurance',
  'treatment',
  'mac_address',
  'macaddr',
  'imei',
  'device_uuid',
  'pgp_key',
  'gpg_key',
  'ssh_key',
  'certificate',
  'license_key',
  'activation_key',
  'facial_recognition',
];

function normaliseColumnName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-\s]+/g, '_');
}

/** The pattern a column name matches, or undefined. */
export function sensitivePattern(column: string): string | undefined {
  const norm = normaliseColumnName(column);
  if (SENSITIVE_NAMES.includes(norm)) return norm;
  const words = norm.split('_').filter((w) => w !== '');
  return SENSITIVE_PARTS.find((part) => {
    const pw = part.split('_');
    for (let i = 0; i + pw.length <= words.length; i++) {
      if (pw.every((w, j) => words[i + j] === w)) return true;
    }
    return false;
  });
}

function sensitiveColumnsExposed(ctx: LintContext, t: Table): Finding | undefined {
  if (!isExposed(ctx, t.schema) || t.rlsEnabled) return undefined;
  const roles = apiRolesWith(t.grants, 'SELECT');
  if (roles.length === 0) return undefined;
  const cols = t.columns.map((c) => ({ name: c.name, pattern: sensitivePattern(c.name) })).filter((c) => c.pattern !== undefined);
  if (cols.length === 0) return undefined;
  const name = qualified(t.schema, t.name);
  return {
    rule: 'sensitive_columns_exposed',
    level: 'error',
    object: name,
    objectKind: 'table',
    message: `table ${name} has no RLS, ${listing(roles)} can select it, and it has sensitive-looking column${cols.length > 1 ? 's' : ''} ${listing(cols.map((c) => quoteIdent(c.name)))}: anyone with the API key can read them`,
    remediation: `alter table ${name} enable row level security; and add policies, or revoke select on ${name} from anon, authenticated; or move the secrets to a schema the API does not expose`,
    source: { kind: 'table', schema: t.schema, name: t.name },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// extension_in_public

function extensionInPublic(ctx: LintContext, ext: { name: string; schema: string }): Finding | undefined {
  // plpgsql is created in pg_catalog; it is listed for completeness and never moved.
  if (ext.name === 'plpgsql' || (ext.schema !== 'public' && !isExposed(ctx, ext.schema))) return undefined;
  return {
    rule: 'extension_in_public',
    level: 'warn',
    object: ext.name,
    objectKind: 'extension',
    message: `extension ${ext.name} is installed in the ${ext.schema === 'public' ? 'public' : `exposed ${ext.schema}`} schema: its functions, types and tables mix with the project's and are reachable through the API`,
    remediation: `alter extension ${quoteIdent(ext.name)} set schema extensions; (or drop it and create extension ${quoteIdent(ext.name)} with schema extensions; when it is not relocatable)`,
    source: { kind: 'extension', name: ext.name },
  };
}

function check(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  const push = (f: Finding | undefined) => f && out.push(f);
  for (const v of ctx.catalog.views) {
    push(securityDefinerView(ctx, v));
    push(authUsersExposed(ctx, v, false));
  }
  for (const m of ctx.catalog.materializedViews) push(authUsersExposed(ctx, m, true));
  for (const t of ctx.catalog.tables) push(sensitiveColumnsExposed(ctx, t));
  for (const e of ctx.catalog.extensions) push(extensionInPublic(ctx, e));
  return out;
}

export const exposureRules: RuleSet = { rules, check };
