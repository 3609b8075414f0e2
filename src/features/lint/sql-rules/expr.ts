/**
 * Reading policy expressions: parse the server-deparsed text (`Policy.using`, `Policy.withCheck`) as `select <expr>`
 * with the real parser, then evaluate or search the tree. Needs `await ensureParser()` first.
 *
 * @example
 * await ensureParser();
 * constantTruth(parseExpression('(1 = 1) OR (user_id = auth.uid())')); // 'true'
 * callsOutsideSubquery(parseExpression('(user_id = auth.uid())'), isPerRowAuthCall); // ['auth.uid()']
 */
import { parseSql } from '../../../core/sql/parser.js';
import { columnRef, funcCallName, isObject, nodeOf, operator, sameTree, stringValue, stripCasts, unwrap, walk, type Json } from './ast.js';

/** Parses one SQL expression into its tree (the wrapped node, e.g. `{ BoolExpr: … }`). Throws on a syntax error. */
export function parseExpression(text: string): unknown {
  const stmt = parseSql(`select ${text}`).stmts?.[0]?.stmt;
  const select = nodeOf(stmt, 'SelectStmt');
  const target = Array.isArray(select?.targetList) ? nodeOf(select.targetList[0], 'ResTarget') : undefined;
  if (!target || (Array.isArray(select?.targetList) && select.targetList.length !== 1)) {
    throw new Error(`not a single expression: ${text}`);
  }
  return target.val;
}

/** What an expression always evaluates to: a constant, or `unknown` when it depends on the row or the session. */
export type Truth = 'true' | 'false' | 'null' | 'unknown';

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
/** Functions whose two calls may differ: `random() = random()` is not a self-comparison. */
const VOLATILE = new Set(['random', 'nextval', 'gen_random_uuid', 'uuid_generate_v4', 'clock_timestamp', 'timeofday', 'random_normal']);

/**
 * Evaluates an expression tree to a constant where it can, with SQL's three-valued logic: `true`, `1 = 1`,
 * `'a' = 'a'`, `x = x` (a column compared with itself: true for every row where it is not null), `true OR …`,
 * `NOT false`, `coalesce(true, …)`, `exists (select 1)`, `x IS NOT DISTINCT FROM x`, `true IS TRUE`.
 *
 * @example
 * constantTruth(parseExpression('team_id = team_id')); // 'true'
 * constantTruth(parseExpression('user_id = auth.uid()')); // 'unknown'
 */
export function constantTruth(node: unknown): Truth {
  const u = unwrap(node);
  if (!u) return 'unknown';
  const [type, body] = u;
  switch (type) {
    case 'A_Const': {
      if (body.isnull === true) return 'null';
      if (isObject(body.boolval)) return body.boolval.boolval === true ? 'true' : 'false';
      return 'unknown';
    }
    case 'TypeCast': {
      const inner = constantTruth(body.arg);
      if (inner !== 'unknown') return inner;
      const c = constValue(body.arg);
      if (c?.kind === 'string' && isBooleanType(body.typeName)) return textToBool(c.value);
      return 'unknown';
    }
    case 'BoolExpr': {
      const args = Array.isArray(body.args) ? body.args.map(constantTruth) : [];
      if (body.boolop === 'NOT_EXPR') return not(args[0] ?? 'unknown');
      if (body.boolop === 'AND_EXPR') {
        if (args.includes('false')) return 'false';
        if (args.includes('unknown')) return 'unknown';
        return args.includes('null') ? 'null' : 'true';
      }
      if (body.boolop === 'OR_EXPR') {
        if (args.includes('true')) return 'true';
        if (args.includes('unknown')) return 'unknown';
        return args.includes('null') ? 'null' : 'false';
      }
      return 'unknown';
    }
    case 'A_Expr':
      return comparisonTruth(node);
    case 'NullTest': {
      const c = constValue(body.arg);
      const t = constantTruth(body.arg);
      const isNull = c ? c.kind === 'null' : t === 'null' ? true : t === 'true' || t === 'false' ? false : undefined;
      if (isNull === undefined) return 'unknown';
      return (body.nulltesttype === 'IS_NULL') === isNull ? 'true' : 'false';
    }
    case 'BooleanTest': {
      const t = constantTruth(body.arg);
      if (t === 'unknown') return 'unknown';
      const is = (v: Truth) => (t === v ? 'true' : 'false');
      switch (body.booltesttype) {
        case 'IS_TRUE':
          return is('true');
        case 'IS_NOT_TRUE':
          return not(is('true'));
        case 'IS_FALSE':
          return is('false');
        case 'IS_NOT_FALSE':
          return not(is('false'));
        case 'IS_UNKNOWN':
          return is('null');
        case 'IS_NOT_UNKNOWN':
          return not(is('null'));
        default:
          return 'unknown';
      }
    }
    case 'CoalesceExpr': {
      for (const arg of Array.isArray(body.args) ? body.args : []) {
        const t = constantTruth(arg);
        if (t !== 'null') return t;
      }
      return 'null';
    }
    case 'SubLink': {
      // exists (select 1): a subquery without FROM, WHERE, HAVING or LIMIT always returns its one row.
      const sel = nodeOf(body.subselect, 'SelectStmt');
      if (
        body.subLinkType === 'EXISTS_SUBLINK' &&
        sel &&
        !sel.fromClause &&
        !sel.whereClause &&
        !sel.havingClause &&
        !sel.limitCount &&
        !sel.valuesLists &&
        !sel.larg
      ) {
        return 'true';
      }
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

function not(t: Truth): Truth {
  return t === 'true' ? 'false' : t === 'false' ? 'true' : t;
}

function isBooleanType(typeName: unknown): boolean {
  const t = isObject(typeName) ? typeName : undefined;
  const n = Array.isArray(t?.names) ? t.names.map((x) => stringValue(x)) : [];
  return !t?.arrayBounds && (n.at(-1) === 'bool' || n.at(-1) === 'boolean');
}

function textToBool(s: string): Truth {
  const v = s.trim().toLowerCase();
  if (['t', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on', '1'].includes(v)) return 'true';
  if (['f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off', '0'].includes(v)) return 'false';
  return 'unknown';
}

type Const = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'bool'; value: boolean } | { kind: 'null' };

/** A literal's value, casts stripped: `1`, `'x'::text`, `true`, `NULL`. */
function constValue(node: unknown): Const | undefined {
  const c = nodeOf(stripCasts(node), 'A_Const');
  if (!c) return undefined;
  if (c.isnull === true) return { kind: 'null' };
  if (isObject(c.ival)) return { kind: 'number', value: typeof c.ival.ival === 'number' ? c.ival.ival : 0 };
  if (isObject(c.fval)) return { kind: 'number', value: Number(c.fval.fval) };
  if (isObject(c.sval)) return { kind: 'string', value: typeof c.sval.sval === 'string' ? c.sval.sval : '' };
  if (isObject(c.boolval)) return { kind: 'bool', value: c.boolval.boolval === true };
  return undefined;
}

function comparisonTruth(node: unknown): Truth {
  const e = operator(node);
  if (!e) return 'unknown';
  if (e.kind === 'AEXPR_NOT_DISTINCT' || e.kind === 'AEXPR_DISTINCT') {
    const same = sameTree(e.lexpr, e.rexpr) && deterministic(e.lexpr);
    if (!same) return 'unknown';
    return e.kind === 'AEXPR_NOT_DISTINCT' ? 'true' : 'false';
  }
  if (e.kind !== 'AEXPR_OP' || !COMPARISONS.has(e.op)) return 'unknown';
  const l = constValue(e.lexpr);
  const r = constValue(e.rexpr);
  if (l && r) {
    if (l.kind === 'null' || r.kind === 'null') return 'null';
    if (l.kind !== r.kind) {
      // '1' = 1: the untyped literal takes the other side's type.
      if (l.kind === 'string' && r.kind === 'number') return compare(Number(l.value), r.value, e.op);
      if (l.kind === 'number' && r.kind === 'string') return compare(l.value, Number(r.value), e.op);
      return 'unknown';
    }
    return compare(l.value, (r as typeof l).value, e.op);
  }
  // The same column (or expression) on both sides: true for every row where it is not null.
  if (sameTree(e.lexpr, e.rexpr) && deterministic(e.lexpr)) {
    return e.op === '=' || e.op === '<=' || e.op === '>=' ? 'true' : 'false';
  }
  return 'unknown';
}

function compare(a: number | string | boolean | undefined, b: number | string | boolean | undefined, op: string): Truth {
  if (a === undefined || b === undefined || (typeof a === 'number' && Number.isNaN(a)) || (typeof b === 'number' && Number.isNaN(b)))
    return 'unknown';
  const r = (x: boolean): Truth => (x ? 'true' : 'false');
  switch (op) {
    case '=':
      return r(a === b);
    case '<>':
    case '!=':
      return r(a !== b);
    case '<':
      return r(a < b);
    case '>':
      return r(a > b);
    case '<=':
      return r(a <= b);
    case '>=':
      return r(a >= b);
    default:
      return 'unknown';
  }
}

/** No volatile function call and no subquery: two evaluations in one row give the same value. */
function deterministic(node: unknown): boolean {
  let ok = true;
  walk(node, (type, body) => {
    if (type === 'SubLink') ok = false;
    if (type === 'FuncCall' && VOLATILE.has(funcCallName({ FuncCall: body })?.at(-1) ?? '')) ok = false;
    return ok;
  });
  return ok;
}

/**
 * Calls matching `match` that are not inside a subquery: in a policy they run once per row, where
 * `(select auth.uid())` runs once per statement (an InitPlan). Returns each call as written, `auth.uid()`, once.
 *
 * @example
 * callsOutsideSubquery(parseExpression('(user_id = auth.uid()) and (org = (select auth.jwt() ->> \'org\'))'), isPerRowAuthCall); // ['auth.uid()']
 */
export function callsOutsideSubquery(node: unknown, match: (name: string[]) => boolean): string[] {
  const found = new Set<string>();
  walk(node, (type, body) => {
    if (type === 'SubLink') return false;
    if (type === 'FuncCall') {
      const name = funcCallName({ FuncCall: body }) ?? [];
      if (match(name)) found.add(`${name.join('.')}()`);
    }
    return true;
  });
  return [...found];
}

/** `auth.uid()`, `auth.jwt()`, `auth.role()`, `auth.email()`, `current_setting(…)`: what splinter's auth_rls_initplan looks for. */
export function isPerRowAuthCall(name: string[]): boolean {
  const [a, b] = name.length === 2 ? name : [undefined, name[0]];
  if (a === 'auth') return b === 'uid' || b === 'jwt' || b === 'role' || b === 'email';
  return (a === undefined || a === 'pg_catalog') && b === 'current_setting';
}

const JSON_GET = new Set(['->', '->>', '#>', '#>>']);
const JSON_PATH_FUNCS = new Set(['jsonb_extract_path', 'jsonb_extract_path_text', 'json_extract_path', 'json_extract_path_text']);

/**
 * Whether the expression reads `user_metadata` out of `auth.jwt()` (or the `request.jwt.claims` setting it reads):
 * `auth.jwt() -> 'user_metadata'`, `auth.jwt() #>> '{user_metadata,role}'`,
 * `jsonb_extract_path(auth.jwt(), 'user_metadata', …)`, `current_setting('request.jwt.claims', true)::jsonb -> 'user_metadata'`.
 */
export function readsJwtUserMetadata(node: unknown): boolean {
  let found = false;
  const isMeta = (n: unknown) => {
    const c = nodeOf(stripCasts(n), 'A_Const');
    const s = isObject(c?.sval) && typeof c.sval.sval === 'string' ? c.sval.sval : undefined;
    if (s === undefined) return false;
    if (s === 'user_metadata') return true;
    // A text[] path literal, '{user_metadata,role}': its first element.
    if (!s.startsWith('{')) return false;
    return (
      s
        .slice(1)
        .split(/[,}]/)[0]
        ?.trim()
        .replace(/^"(.*)"$/, '$1') === 'user_metadata'
    );
  };
  walk(node, (type, body) => {
    if (found) return false;
    if (type === 'A_Expr') {
      const e = operator({ A_Expr: body });
      if (e && JSON_GET.has(e.op) && isMeta(e.rexpr) && callsJwt(e.lexpr)) found = true;
    }
    if (type === 'FuncCall') {
      const name = funcCallName({ FuncCall: body })?.at(-1) ?? '';
      const args = Array.isArray(body.args) ? body.args : [];
      if (JSON_PATH_FUNCS.has(name) && callsJwt(args[0]) && isMeta(args[1])) found = true;
    }
    return true;
  });
  return found;
}

/** Calls auth.jwt(), or reads the claims it reads: `current_setting('request.jwt.claims', true)`. */
function callsJwt(node: unknown): boolean {
  let found = false;
  walk(node, (type, body) => {
    if (type === 'FuncCall') {
      const n = funcCallName({ FuncCall: body }) ?? [];
      if (n.length === 2 && n[0] === 'auth' && n[1] === 'jwt') found = true;
      if (n.at(-1) === 'current_setting' && Array.isArray(body.args)) {
        const c = nodeOf(stripCasts(body.args[0]), 'A_Const');
        if (isObject(c?.sval) && c.sval.sval === 'request.jwt.claims') found = true;
      }
    }
    return !found;
  });
  return found;
}

/**
 * Whether every row the expression lets through has `column IS NULL`: the test is a top-level conjunct, or every
 * branch of a top-level OR has it (`deleted_at IS NULL AND …`, `NOT (deleted_at IS NOT NULL)`). A test inside a
 * subquery is about another table and does not count.
 *
 * @example
 * requiresNull(parseExpression('(deleted_at IS NULL) AND (user_id = auth.uid())'), 'deleted_at', 'tasks'); // true
 * requiresNull(parseExpression('(deleted_at IS NULL) OR is_admin()'), 'deleted_at', 'tasks'); // false
 */
export function requiresNull(node: unknown, column: string, table: string): boolean {
  const u = unwrap(node);
  if (!u) return false;
  const [type, body] = u;
  const args = Array.isArray(body.args) ? body.args : [];
  if (type === 'BoolExpr' && body.boolop === 'AND_EXPR') return args.some((a) => requiresNull(a, column, table));
  if (type === 'BoolExpr' && body.boolop === 'OR_EXPR') return args.length > 0 && args.every((a) => requiresNull(a, column, table));
  if (type === 'BoolExpr' && body.boolop === 'NOT_EXPR') {
    const t = nodeOf(args[0], 'NullTest');
    return t !== undefined && t.nulltesttype === 'IS_NOT_NULL' && isColumn(t.arg, column, table);
  }
  if (type === 'NullTest') return body.nulltesttype === 'IS_NULL' && isColumn(body.arg, column, table);
  return false;
}

function isColumn(node: unknown, column: string, table: string): boolean {
  const f = columnRef(node);
  if (!f) return false;
  return (f.length === 1 && f[0] === column) || (f.length >= 2 && f.at(-1) === column && f.at(-2) === table);
}

/** Column references compared with themselves (`team_id = team_id`, `t.a = t.a`), as written: `team_id`. */
export function selfComparisons(node: unknown): string[] {
  const found = new Set<string>();
  walk(node, (type, body: Json) => {
    if (type !== 'A_Expr') return true;
    const e = operator({ A_Expr: body });
    const l = columnRef(e?.lexpr);
    if (e && l && (e.op === '=' || e.kind === 'AEXPR_NOT_DISTINCT') && sameTree(e.lexpr, e.rexpr)) found.add(l.join('.'));
    return true;
  });
  return [...found];
}
