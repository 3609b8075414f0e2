/**
 * Functions and procedures (and, without a definition, aggregates and window functions).
 */
import type { Grant, Routine, RoutineArgument } from './model.js';
import { routineKey } from './read-grants.js';
import { notExtensionMember, sortBy, type CatalogQuery } from './shared.js';

interface RoutineRow {
  schema: string;
  name: string;
  kind: 'f' | 'p' | 'a' | 'w';
  identity_args: string;
  arg_names: string[];
  arg_modes: string[];
  arg_types: string[];
  defaults: number;
  return_type: string | null;
  returns_set: boolean;
  language: string;
  volatility: 'i' | 's' | 'v';
  security_definer: boolean;
  strict: boolean;
  config: string[];
  body: string;
  definition: string | null;
  comment: string | null;
}

// proallargtypes is set only when there are OUT/TABLE arguments; otherwise proargtypes (an oidvector) lists the inputs.
// proargmodes is a "char"[], cast to text[] so both drivers return plain strings.
// A SQL-standard body (BEGIN ATOMIC / RETURN) has an empty prosrc and lives parsed in prosqlbody.
// pg_get_functiondef raises on aggregates and window functions; CASE keeps it from being called for them.
const ROUTINES_SQL = `
select n.nspname::text as schema, p.proname::text as name, p.prokind::text as kind,
       pg_get_function_identity_arguments(p.oid) as identity_args,
       coalesce(p.proargnames, '{}'::text[])::text[] as arg_names,
       coalesce(p.proargmodes::text[], '{}'::text[]) as arg_modes,
       coalesce((select array_agg(format_type(u.t, null) order by u.ord)
                   from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(t, ord)), '{}'::text[]) as arg_types,
       p.pronargdefaults::int as defaults,
       case when p.prokind <> 'p' then format_type(p.prorettype, null) end as return_type,
       p.proretset as returns_set, l.lanname::text as language, p.provolatile::text as volatility,
       p.prosecdef as security_definer, p.proisstrict as strict,
       coalesce(p.proconfig, '{}'::text[])::text[] as config,
       case when p.prosqlbody is not null then pg_get_function_sqlbody(p.oid) else p.prosrc end as body,
       case when p.prokind in ('f', 'p') then pg_get_functiondef(p.oid) end as definition,
       obj_description(p.oid, 'pg_proc') as comment
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  join pg_language l on l.oid = p.prolang
 where n.nspname = any($1::text[])
   and ${notExtensionMember('pg_proc', 'p.oid')}`;

const KINDS = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' } as const;
const VOLATILITY = { i: 'immutable', s: 'stable', v: 'volatile' } as const;
const MODES: Record<string, RoutineArgument['mode']> = { i: 'in', o: 'out', b: 'inout', v: 'variadic', t: 'table' };

/**
 * Functions sorted by schema, name and identity arguments (overloads share a name).
 *
 * @example
 * (await readFunctions(q, routineGrants)).filter((f) => f.securityDefiner && f.config.length === 0);
 */
export async function readFunctions(q: CatalogQuery, grants: Map<string, Grant[]>): Promise<Routine[]> {
  const rows = await q<RoutineRow>(ROUTINES_SQL);
  const routines = rows.map((r): Routine => ({
    schema: r.schema,
    name: r.name,
    kind: KINDS[r.kind],
    identityArgs: r.identity_args,
    arguments: routineArguments(r),
    returnType: r.return_type,
    returnsSet: r.returns_set,
    language: r.language,
    volatility: VOLATILITY[r.volatility],
    securityDefiner: r.security_definer,
    strict: r.strict,
    config: r.config,
    body: r.body,
    definition: r.definition,
    comment: r.comment,
    grants: grants.get(routineKey(r.schema, r.name, r.identity_args)) ?? [],
  }));
  return sortBy(
    routines,
    (f) => f.schema,
    (f) => f.name,
    (f) => f.identityArgs,
  );
}

/**
 * Zips names, modes and types. Defaults belong to the last `pronargdefaults` input arguments (in, inout, variadic),
 * which is how Postgres itself matches proargdefaults to arguments.
 */
function routineArguments(r: RoutineRow): RoutineArgument[] {
  const args = r.arg_types.map((type, i): RoutineArgument => {
    const name = r.arg_names[i];
    return { name: name ? name : null, mode: MODES[r.arg_modes[i] ?? 'i'] ?? 'in', type, hasDefault: false };
  });
  const inputs = args.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic');
  if (r.defaults > 0) for (const a of inputs.slice(-r.defaults)) a.hasDefault = true;
  return args;
}
