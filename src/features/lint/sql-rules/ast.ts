/**
 * Small helpers over libpg-query parse trees, which are JSON: a node is `{ TypeName: { …fields } }`, lists are arrays,
 * names are `{ String: { sval } }`. The rules read only a few node types, so they work on this loose shape rather than
 * on the full generated types.
 */
export type Json = { [key: string]: unknown };

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{ ColumnRef: {…} }` → `['ColumnRef', {…}]`; undefined for anything that is not one wrapped node. */
export function unwrap(node: unknown): [string, Json] | undefined {
  if (!isObject(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  const body = node[key];
  if (!/^[A-Z]/.test(key) || !isObject(body)) return undefined;
  return [key, body];
}

/** The body of a node of one type, or undefined. */
export function nodeOf(node: unknown, type: string): Json | undefined {
  const u = unwrap(node);
  return u && u[0] === type ? u[1] : undefined;
}

/** `{ String: { sval: 'x' } }` → `'x'`; `{ A_Star: {} }` → `'*'`. */
export function stringValue(node: unknown): string | undefined {
  const s = nodeOf(node, 'String');
  if (s) return typeof s.sval === 'string' ? s.sval : '';
  if (nodeOf(node, 'A_Star')) return '*';
  return undefined;
}

/** A list of name nodes as strings (`funcname`, `ColumnRef.fields`, operator `name`). */
export function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((n) => stringValue(n) ?? '?') : [];
}

/** The fields of a column reference: `team_id` → `['team_id']`, `m.team_id` → `['m', 'team_id']`. */
export function columnRef(node: unknown): string[] | undefined {
  const c = nodeOf(node, 'ColumnRef');
  return c ? names(c.fields) : undefined;
}

/** A function call's name, `auth.uid()` → `['auth', 'uid']`. */
export function funcCallName(node: unknown): string[] | undefined {
  const f = nodeOf(node, 'FuncCall');
  return f ? names(f.funcname) : undefined;
}

/** The operator of an `A_Expr` (`=`, `->>`), with its kind (`AEXPR_OP`, `AEXPR_NOT_DISTINCT`, …). */
export function operator(node: unknown): { kind: string; op: string; lexpr: unknown; rexpr: unknown } | undefined {
  const e = nodeOf(node, 'A_Expr');
  if (!e) return undefined;
  const op = names(e.name).at(-1) ?? '';
  return { kind: typeof e.kind === 'string' ? e.kind : '', op, lexpr: e.lexpr, rexpr: e.rexpr };
}

/** Strips `::type` casts: `'x'::text` → `'x'`. */
export function stripCasts(node: unknown): unknown {
  let n = node;
  for (let c = nodeOf(n, 'TypeCast'); c; c = nodeOf(n, 'TypeCast')) n = c.arg;
  return n;
}

/** Structural equality, ignoring `location` fields (two spellings of the same expression at different places). */
export function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameTree(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a).filter((k) => k !== 'location');
  const kb = Object.keys(b).filter((k) => k !== 'location');
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameTree(a[k], b[k]));
}

/**
 * Visits every wrapped node under `root` (root included), depth first. `visit` gets the node type, its body and the
 * types of the nodes above it; returning `false` skips the node's children.
 */
export function walk(root: unknown, visit: (type: string, body: Json, ancestors: readonly string[]) => boolean | void): void {
  const ancestors: string[] = [];
  const go = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) go(x);
      return;
    }
    if (!isObject(v)) return;
    const u = unwrap(v);
    if (u) {
      const [type, body] = u;
      if (visit(type, body, ancestors) === false) return;
      ancestors.push(type);
      for (const child of Object.values(body)) go(child);
      ancestors.pop();
      return;
    }
    for (const child of Object.values(v)) go(child);
  };
  go(root);
}

/**
 * A RangeVar's body, whether wrapped (`fromClause` items: `{ RangeVar: … }`) or bare (the `relation` of INSERT,
 * UPDATE, DELETE and CREATE TRIGGER is printed without its type key).
 */
export function rangeVar(node: unknown): Json | undefined {
  const wrapped = nodeOf(node, 'RangeVar');
  if (wrapped) return wrapped;
  return isObject(node) && typeof node.relname === 'string' ? node : undefined;
}

/** Every table a statement names, `{ schema, name }` (schema null when unqualified): FROM items, joins, DML targets. */
export function relationsNamed(stmt: unknown): { schema: string | null; name: string }[] {
  const out: { schema: string | null; name: string }[] = [];
  const add = (rv: Json | undefined) => {
    if (rv && typeof rv.relname === 'string')
      out.push({ schema: typeof rv.schemaname === 'string' ? rv.schemaname : null, name: rv.relname });
  };
  walk(stmt, (type, body) => {
    if (type === 'RangeVar') add(body);
    if (type === 'InsertStmt' || type === 'UpdateStmt' || type === 'DeleteStmt' || type === 'MergeStmt') add(rangeVar(body.relation));
  });
  return out;
}
