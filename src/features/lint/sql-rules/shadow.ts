/**
 * Function parameters shadowed by columns. In a LANGUAGE sql function a column wins over a parameter of the same
 * name, so in seed 000's
 *
 *   create function is_team_member(team_id uuid) … select 1 from public.team_members where … and team_id = team_id
 *
 * both sides of `team_id = team_id` are the column: always true for non-null rows, and the argument is never read.
 * In PL/pgSQL the same reference is an "ambiguous column reference" error at run time (unless `#variable_conflict`).
 * The finder walks the parsed statements with the tables each query level can see (its FROM list and the enclosing
 * levels'), and reports unqualified references named like a parameter that a visible table has as a column.
 *
 * @example
 * await ensureParser();
 * const stmts = parseSql('select exists (select 1 from public.team_members where team_id = team_id)').stmts!.map((s) => s.stmt);
 * findShadowedParams(stmts, ['team_id'], (schema, name) => ({ name: `${schema ?? 'public'}.${name}`, columns: ['team_id', 'user_id'] }));
 * // [{ param: 'team_id', column: 'team_id', relation: 'public.team_members', selfComparison: true }]
 */
import { columnRef, isObject, names, nodeOf, operator, rangeVar, sameTree, unwrap } from './ast.js';

export interface Relation {
  /** Qualified name, `public.team_members`. */
  name: string;
  columns: string[];
}

/** Looks a table or view up by the name a query uses (schema null when unqualified). */
export type ResolveRelation = (schema: string | null, name: string) => Relation | undefined;

export interface ShadowHit {
  param: string;
  column: string;
  /** The relation whose column the reference resolves to. */
  relation: string;
  /** The parameter's name is compared with the same column (`team_id = team_id`, `m.team_id = team_id`). */
  selfComparison: boolean;
  /**
   * How the body also reads the argument itself, when it does: `is_team_member.team_id` (qualified by the function's
   * name) or `$1`. Then the unqualified name is the column on purpose (in a SQL function the column wins), not a bug.
   */
  readAs?: string;
}

export interface ShadowOptions {
  /** A SQL-standard `BEGIN ATOMIC` body, stored with every name already bound. */
  resolvedBody?: boolean;
  /** The function's name: `<name>.<param>` in the body is the argument. */
  functionName?: string;
  /** Each parameter's position among the input arguments: `$<n>` in the body is that argument. */
  positions?: Record<string, number>;
}

interface Visible {
  alias: string;
  rel: Relation;
}

/**
 * Unqualified references named like one of `params` that resolve to a column of a table the query reads. With
 * `resolvedBody` (a SQL-standard `BEGIN ATOMIC` body, stored with every name already bound), a shadowed parameter
 * shows as a column compared with itself (`team_members.team_id = team_members.team_id`) instead.
 */
export function findShadowedParams(stmts: unknown[], params: string[], resolve: ResolveRelation, opts: ShadowOptions = {}): ShadowHit[] {
  const wanted = new Set(params);
  const hits = new Map<string, ShadowHit>();
  const selfCompared = new Set<string>();
  /** Parameters the body reads as `fn.param` or `$n`, with the spelling first seen. */
  const readAs = new Map<string, string>();
  const byPosition = new Map(Object.entries(opts.positions ?? {}).map(([name, n]) => [n, name]));

  const relationOf = (rv: unknown): Visible | undefined => {
    const r = rangeVar(rv);
    if (!r || typeof r.relname !== 'string') return undefined;
    const rel = resolve(typeof r.schemaname === 'string' ? r.schemaname : null, r.relname);
    if (!rel) return undefined;
    const alias = isObject(r.alias) && typeof r.alias.aliasname === 'string' ? r.alias.aliasname : r.relname;
    return { alias, rel };
  };
  const fromList = (list: unknown): Visible[] => {
    const out: Visible[] = [];
    const add = (item: unknown): void => {
      const rv = relationOf(item);
      if (rv) out.push(rv);
      const j = nodeOf(item, 'JoinExpr');
      if (j) {
        add(j.larg);
        add(j.rarg);
      }
    };
    for (const item of Array.isArray(list) ? list : [list]) add(item);
    return out;
  };
  const lookup = (scope: Visible[], column: string, qualifier?: string): Visible | undefined => {
    for (let i = scope.length - 1; i >= 0; i--) {
      const v = scope[i]!;
      if (qualifier !== undefined && v.alias !== qualifier) continue;
      if (v.rel.columns.includes(column)) return v;
    }
    return undefined;
  };
  const hit = (param: string, v: Visible) => {
    if (!hits.has(param)) hits.set(param, { param, column: param, relation: v.rel.name, selfComparison: false });
  };

  const visit = (node: unknown, scope: Visible[]): void => {
    if (Array.isArray(node)) {
      for (const x of node) visit(x, scope);
      return;
    }
    if (!isObject(node)) return;
    const u = unwrap(node);
    if (!u) {
      for (const child of Object.values(node)) visit(child, scope);
      return;
    }
    const [type, body] = u;
    const children = (s: Visible[], skip: string[] = []) => {
      for (const [k, child] of Object.entries(body)) if (!skip.includes(k)) visit(child, s);
    };
    switch (type) {
      case 'SelectStmt':
        return children([...scope, ...fromList(body.fromClause)]);
      case 'UpdateStmt':
        return children([...scope, ...fromList(body.relation), ...fromList(body.fromClause)]);
      case 'DeleteStmt':
        return children([...scope, ...fromList(body.relation), ...fromList(body.usingClause)]);
      case 'InsertStmt':
        // VALUES and the SELECT cannot see the target table; RETURNING and ON CONFLICT can.
        visit(body.selectStmt, scope);
        visit(body.withClause, scope);
        return children([...scope, ...fromList(body.relation)], ['selectStmt', 'withClause']);
      case 'ColumnRef': {
        const f = names(body.fields);
        if (!opts.resolvedBody && f.length === 1 && wanted.has(f[0]!)) {
          const v = lookup(scope, f[0]!);
          if (v) hit(f[0]!, v);
        }
        // A table aliased like the function would make `fn.param` a column: only an unshadowed qualifier counts.
        if (
          f.length === 2 &&
          opts.functionName !== undefined &&
          f[0] === opts.functionName &&
          wanted.has(f[1]!) &&
          !scope.some((v) => v.alias === f[0])
        ) {
          if (!readAs.has(f[1]!)) readAs.set(f[1]!, `${f[0]}.${f[1]}`);
        }
        return;
      }
      case 'ParamRef': {
        const name = typeof body.number === 'number' ? byPosition.get(body.number) : undefined;
        if (name !== undefined && wanted.has(name) && !readAs.has(name)) readAs.set(name, `$${String(body.number)}`);
        return;
      }
      case 'A_Expr': {
        const e = operator(node);
        const l = columnRef(e?.lexpr);
        const r = columnRef(e?.rexpr);
        if (e && l && r && (e.op === '=' || e.kind === 'AEXPR_NOT_DISTINCT') && l.at(-1) === r.at(-1) && wanted.has(l.at(-1)!)) {
          const name = l.at(-1)!;
          if (opts.resolvedBody) {
            if (sameTree(e.lexpr, e.rexpr)) {
              const v = lookup(scope, name, l.length > 1 ? l.at(-2) : undefined);
              if (v) hit(name, v);
              selfCompared.add(name);
            }
          } else if (l.length === 1 || r.length === 1) {
            selfCompared.add(name);
          }
        }
        return children(scope);
      }
      default:
        return children(scope);
    }
  };
  visit(stmts, []);
  return [...hits.values()].map((h) => {
    const out: ShadowHit = { ...h, selfComparison: selfCompared.has(h.param) };
    const how = readAs.get(h.param);
    if (how !== undefined) out.readAs = how;
    return out;
  });
}
