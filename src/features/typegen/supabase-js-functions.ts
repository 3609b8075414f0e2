/**
 * `Functions` and computed fields, by the Supabase CLI's rules (postgres-meta's typegen, CLI v3):
 *
 * - Listed: plain functions (not procedures, aggregates, window functions; not returning trigger/event_trigger) of
 *   the schema whose input arguments are all named; or whose unnamed ones all have defaults and are json, jsonb or
 *   text; or that take one unnamed json/jsonb/text or row-typed argument (PostgREST passes the request body).
 * - Overloads that PostgREST cannot tell apart get `Returns: { error: true } & "<PostgREST's message>"`.
 * - `Args`: input arguments by name, `?` for those with defaults; a table or view row argument is
 *   `Omit<…["Row"], …["ComputedFields"]>`.
 * - `Returns`: RETURNS TABLE columns (no nulls); the row of a relation of the same schema (nulls as in its Row);
 *   otherwise the type; `[]` for a set-returning function unless its ROWS estimate is 1 or less.
 * - `SetofOptions` for functions returning a row type: `from` (the single argument's row type, else `*`), `to`,
 *   `isOneToOne`, `isSetofReturn`.
 * - Computed fields: a listed function whose one input argument is the row of a relation of its schema that has no
 *   column of the function's name; it shows in that relation's `Row` (its return type `| null`, never an array) and
 *   `ComputedFields`.
 */
import type { Routine } from '../../core/catalog/index.js';
import { orNull, type Relation, type TypegenContext } from './supabase-js-context.js';
import { compareNames, objectType, unionOf, type Member } from './supabase-js-layout.js';
import { arrayOf, parsePgType, quoteString } from './ts-names.js';

/** json, jsonb, text: the unnamed-argument types PostgREST maps a request body to (OIDs 114, 3802, 25). */
const BODY_TYPES = new Set(['json', 'jsonb', 'text']);
/** Schemas on the default search_path (`"$user", public, extensions`): format_type writes their types bare. */
const VISIBLE_SCHEMAS = new Set(['pg_catalog', 'public', 'extensions']);

export interface Overload {
  fn: Routine;
  inArgs: Routine['arguments'];
  error: string | null;
  /** The relation this overload is a computed field of. */
  computedFieldOf: Relation | undefined;
}

export interface FunctionGroup {
  name: string;
  overloads: Overload[];
}

function inArgsOf(fn: Routine) {
  return fn.arguments.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic');
}

const unnamed = (a: Routine['arguments'][number]) => a.name === null || a.name === '';

function isBodyType(type: string): boolean {
  const r = parsePgType(type);
  return !r.isArray && (r.schema === null || r.schema === 'pg_catalog') && BODY_TYPES.has(r.canonical);
}

/** pg_type.typname of a format_type text: `int4`, `_text`, `task_status`. */
function typname(type: string): string {
  const r = parsePgType(type);
  return `${r.isArray ? '_' : ''}${r.canonical}`;
}

function isListed(ctx: TypegenContext, fn: Routine): boolean {
  if (fn.kind !== 'function') return false;
  const ret = fn.returnType === null ? null : parsePgType(fn.returnType).canonical;
  if (ret === 'trigger' || ret === 'event_trigger') return false;
  const args = inArgsOf(fn);
  if (args.length === 0 || !args.some(unnamed)) return true;
  if (args.every((a) => !unnamed(a) || (a.hasDefault && isBodyType(a.type)))) return true;
  return args.length === 1 && (isBodyType(args[0]!.type) || ctx.rowTypeOf(args[0]!.type) !== undefined);
}

const AMBIGUOUS_HINT = 'Try renaming the parameters or the function itself in the database so function overloading can be resolved';

/** PostgREST's error for an overload it cannot call, or null. */
function overloadError(ctx: TypegenContext, self: Overload, all: Overload[]): string | null {
  const { fn, inArgs } = self;
  const only = inArgs.length === 1 ? inArgs[0]! : undefined;
  if (all.length > 1) {
    if (inArgs.length === 0) {
      const other = all.find((o) => o !== self && o.inArgs.length === 1 && unnamed(o.inArgs[0]!) && o.inArgs[0]!.hasDefault);
      if (other) {
        const ret = other.fn.returnType === null ? 'unknown' : typname(other.fn.returnType);
        return `Could not choose the best candidate function between: ${fn.schema}.${fn.name}(), ${fn.schema}.${fn.name}( => ${ret}). ${AMBIGUOUS_HINT}`;
      }
    }
    if (only && !unnamed(only)) {
      const clashes = all.filter(
        (o) => o !== self && o.inArgs.length === 1 && o.inArgs[0]!.name === only.name && o.inArgs[0]!.type !== only.type,
      );
      if (clashes.length > 0) {
        const typeOid = (o: Overload) => {
          const oid = ctx.functionFacts(o.fn)?.inTypeOids[0];
          return oid !== undefined && oid < 16384 ? oid : Number.MAX_SAFE_INTEGER; // user types: after built-ins, by name
        };
        const list = [self, ...clashes]
          .sort((a, b) => typeOid(a) - typeOid(b) || compareNames(typname(a.inArgs[0]!.type), typname(b.inArgs[0]!.type)))
          .map((o) => `${fn.schema}.${fn.name}(${o.inArgs.map((a) => `${a.name} => ${typname(a.type)}`).join(', ')})`);
        return `Could not choose the best candidate function between: ${list.join(', ')}. ${AMBIGUOUS_HINT}`;
      }
    }
  }
  if (only && unnamed(only) && ctx.rowTypeOf(only.type)) {
    return `the function ${fn.schema}.${fn.name} with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache`;
  }
  return null;
}

function computedFieldOf(ctx: TypegenContext, fn: Routine, inArgs: Routine['arguments']): Relation | undefined {
  if (inArgs.length !== 1) return undefined;
  const rel = ctx.relationOf(inArgs[0]!.type);
  if (!rel || rel.schema !== fn.schema || ctx.columnNames(rel).includes(fn.name)) return undefined;
  return rel;
}

/** The schema's listed functions by name (sorted), each with its overloads. */
export function functionGroups(ctx: TypegenContext, schema: string): FunctionGroup[] {
  const byName = new Map<string, Overload[]>();
  for (const fn of ctx.catalog.functions) {
    if (fn.schema !== schema || !isListed(ctx, fn)) continue;
    const inArgs = inArgsOf(fn);
    const o: Overload = { fn, inArgs, error: null, computedFieldOf: computedFieldOf(ctx, fn, inArgs) };
    const list = byName.get(fn.name);
    if (list) list.push(o);
    else byName.set(fn.name, [o]);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => compareNames(a, b))
    .map(([name, overloads]) => {
      overloads.sort((a, b) => (a.fn.identityArgs < b.fn.identityArgs ? -1 : a.fn.identityArgs > b.fn.identityArgs ? 1 : 0));
      for (const o of overloads) o.error = overloadError(ctx, o, overloads);
      return { name, overloads };
    });
}

/** The relation's row as a function result: its columns with their nulls (view columns as proven). */
function relationRow(ctx: TypegenContext, rel: Relation): string {
  const members: Member[] =
    rel.kind === 'Tables'
      ? [...rel.table.columns].sort((a, b) => compareNames(a.name, b.name)).map((c) => ({ key: c.name, type: ctx.columnTs(c) }))
      : [...rel.view.columns]
          .sort((a, b) => compareNames(a.name, b.name))
          .map((c) => ({ key: c.name, type: ctx.typeWithNull(c.type, !ctx.viewColumnNotNull(rel.view, c.name)) }));
  return objectType(members, '{}');
}

/** `Returns` without the set marker: TABLE columns, a same-schema relation's row, or the type. */
function returnsType(ctx: TypegenContext, fn: Routine, schema: string): string {
  const tableCols = fn.arguments.filter((a) => a.mode === 'table').sort((a, b) => compareNames(a.name ?? '', b.name ?? ''));
  if (tableCols.length > 0)
    return objectType(
      tableCols.map((a) => ({ key: a.name ?? '', type: ctx.ts(a.type) })),
      '{}',
    );
  if (fn.returnType === null) return 'undefined';
  const rel = ctx.relationOf(fn.returnType);
  if (rel && rel.schema === schema) return relationRow(ctx, rel);
  return ctx.ts(fn.returnType);
}

/** A type name as format_type writes it: schema-qualified off the search path, odd identifiers in `"…"` (`""` inside). */
function formatTypeName(t: { schema: string; name: string }): string {
  const ident = (s: string) => (/^[a-z_][a-z0-9_$]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);
  return VISIBLE_SCHEMAS.has(t.schema) ? ident(t.name) : `${ident(t.schema)}.${ident(t.name)}`;
}

interface SetofOptions {
  from: string;
  to: string;
  isOneToOne: boolean;
  isSetofReturn: boolean;
}

function setofOptions(ctx: TypegenContext, fn: Routine): SetofOptions | null {
  if (fn.returnType === null) return null;
  const rel = ctx.relationOf(fn.returnType);
  const to = rel?.name ?? ctx.rowTypeOf(fn.returnType)?.name;
  if (to === undefined) return null;
  const single = fn.arguments.length === 1 ? ctx.rowTypeOf(fn.arguments[0]!.type) : undefined;
  const rows = ctx.functionFacts(fn)?.rows ?? (fn.returnsSet ? 1000 : null);
  const many = rows !== null && rows > 1;
  return {
    from: single ? formatTypeName(single) : '*',
    to,
    isOneToOne: single && !fn.returnsSet ? true : !many,
    isSetofReturn: fn.returnsSet,
  };
}

function argsType(ctx: TypegenContext, o: Overload): string {
  if (o.inArgs.length === 0) return 'Record<PropertyKey, never>';
  const args = o.inArgs.map((a) => ({ ...a, name: a.name ?? '' })).sort((a, b) => compareNames(a.name, b.name));
  return objectType(
    args.map((a) => {
      const rel = a.name === '' ? undefined : ctx.relationOf(a.type);
      let ts = ctx.ts(a.type);
      if (rel) {
        const base = `Database[${quoteString(rel.schema)}][${quoteString(rel.kind)}][${quoteString(rel.name)}]`;
        ts = `Omit<${base}["Row"], ${base}["ComputedFields"]>`;
      }
      return { key: a.name, optional: a.hasDefault, type: ts };
    }),
  );
}

function renderOverload(ctx: TypegenContext, o: Overload, schema: string): string {
  const setof = setofOptions(ctx, o.fn);
  let returns: string;
  if (o.error !== null) {
    returns = `{ error: true } & ${quoteString(o.error)}`;
  } else {
    returns = returnsType(ctx, o.fn, schema);
    if (o.fn.returnsSet && setof?.isOneToOne !== true) returns = arrayOf(returns);
  }
  const members: Member[] = [
    { key: 'Args', type: argsType(ctx, o) },
    { key: 'Returns', type: returns },
  ];
  if (setof) {
    members.push({
      key: 'SetofOptions',
      type: objectType([
        { key: 'from', type: quoteString(setof.from) },
        { key: 'to', type: quoteString(setof.to) },
        { key: 'isOneToOne', type: String(setof.isOneToOne) },
        { key: 'isSetofReturn', type: String(setof.isSetofReturn) },
      ]),
    });
  }
  return objectType(members);
}

/** The `Functions` members of a schema: one per name, overloads as a union. */
export function renderFunctionMembers(ctx: TypegenContext, groups: FunctionGroup[], schema: string): Member[] {
  return groups.map((g) => {
    return { key: g.name, type: unionOf(g.overloads.map((o) => renderOverload(ctx, o, schema))) };
  });
}

/** Computed fields of a relation: `Row` members (name → return type `| null`), in function-name order. */
export function computedFields(
  ctx: TypegenContext,
  groups: FunctionGroup[],
  rel: { schema: string; name: string },
  schema: string,
): Member[] {
  return groups.flatMap((g) => {
    const o = g.overloads.find((x) => x.computedFieldOf?.schema === rel.schema && x.computedFieldOf.name === rel.name);
    return o ? [{ key: g.name, type: orNull(returnsType(ctx, o.fn, schema)) }] : [];
  });
}
