/**
 * The SQL inside a function: the statements of a LANGUAGE sql body, or every SQL statement and expression a
 * PL/pgSQL body embeds (each `PLpgSQL_expr` is SQL text, parsed again here). Needs `await ensureParser()` first.
 *
 * @example
 * const body = readRoutineBody(fn); // fn: a catalog Routine
 * body?.queries.map((q) => q.stmt); // [{ SelectStmt: … }, …]
 */
import type { Routine } from '../../../core/catalog/index.js';
import { parseSql, scanSql } from '../../../core/sql/parser.js';
import { PLPGSQL_PARSE_MODE, parsePlpgsql, type PlpgsqlJson } from '../../../core/sql/plpgsql.js';
import { byteToCharOffset } from '../../../core/sql/position.js';
import { isObject, nodeOf } from './ast.js';

export interface BodyQuery {
  /** One parsed statement, wrapped: `{ SelectStmt: … }`. An expression `e` of PL/pgSQL comes as `select e`. */
  stmt: unknown;
  /** Line in the body (PL/pgSQL statements carry one), else null. */
  line: number | null;
}

export interface RoutineBody {
  language: 'sql' | 'plpgsql';
  /** A SQL-standard body (`BEGIN ATOMIC … END`, `RETURN …`): names were resolved when the function was created. */
  atomic: boolean;
  queries: BodyQuery[];
  /** PL/pgSQL's `#variable_conflict` (or `plpgsql.variable_conflict` in the function's SET): how a name that is both a variable and a column resolves. */
  variableConflict: 'error' | 'use_column' | 'use_variable';
  /** Fields of NEW that a PL/pgSQL trigger function assigns (`new.updated_at := now()`). */
  assignsNew: string[];
  /** Embedded queries the parser rejected (left out of `queries`). */
  unparsed: number;
}

const read = new WeakMap<Routine, RoutineBody | null>();

/**
 * Reads the body of a SQL or PL/pgSQL function; undefined for other languages or a body that does not parse.
 * Memoised per Routine object: several rules (and every table sharing one trigger function) read the same body.
 */
export function readRoutineBody(fn: Routine): RoutineBody | undefined {
  let body = read.get(fn);
  if (body === undefined) {
    body = readUncached(fn) ?? null;
    read.set(fn, body);
  }
  return body ?? undefined;
}

function readUncached(fn: Routine): RoutineBody | undefined {
  try {
    if (fn.language === 'sql') return readSqlBody(fn);
    if (fn.language === 'plpgsql') return readPlpgsqlBody(fn);
  } catch {
    return undefined;
  }
  return undefined;
}

function readSqlBody(fn: Routine): RoutineBody {
  const base = { language: 'sql' as const, variableConflict: 'error' as const, assignsNew: [], unparsed: 0 };
  if (fn.definition) {
    const create = nodeOf(parseSql(fn.definition).stmts?.[0]?.stmt, 'CreateFunctionStmt');
    if (create?.sql_body) return { ...base, atomic: true, queries: flattenLists(create.sql_body).map((stmt) => ({ stmt, line: null })) };
  }
  const stmts = parseSql(fn.body).stmts ?? [];
  return { ...base, atomic: false, queries: stmts.map((s) => ({ stmt: s.stmt, line: null })) };
}

/** `{ List: { items: [ { List: { items: [stmt, stmt] } } ] } }` → `[stmt, stmt]`. */
function flattenLists(node: unknown): unknown[] {
  const list = nodeOf(node, 'List');
  if (!list) return [node];
  return (Array.isArray(list.items) ? list.items : []).flatMap(flattenLists);
}

function readPlpgsqlBody(fn: Routine): RoutineBody | undefined {
  if (!fn.definition) return undefined;
  const [compiled] = parsePlpgsql(fn.definition);
  if (!compiled) return undefined;
  const queries: BodyQuery[] = [];
  const assignsNew = new Set<string>();
  let unparsed = 0;
  const visit = (v: unknown, line: number | null): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x, line);
      return;
    }
    if (!isObject(v)) return;
    const here = typeof v.lineno === 'number' ? v.lineno : line;
    for (const [key, child] of Object.entries(v)) {
      if (key === 'PLpgSQL_expr' && isObject(child)) {
        const parsed = parseEmbedded(child);
        if (parsed === undefined) unparsed++;
        else queries.push(...parsed.map((stmt) => ({ stmt, line: here })));
        continue;
      }
      if (key === 'PLpgSQL_stmt_assign' && isObject(child)) {
        const field = newField(compiled.datums, compiled.newVarno, child.varno);
        if (field) assignsNew.add(field);
      }
      visit(child, here);
    }
  };
  visit(compiled.datums, null); // declared variables' default expressions
  visit(compiled.action, null);
  return { language: 'plpgsql', atomic: false, queries, variableConflict: variableConflict(fn), assignsNew: [...assignsNew], unparsed };
}

/** The statements of one `PLpgSQL_expr`, parsed according to its parse mode; undefined when it does not parse. */
function parseEmbedded(expr: PlpgsqlJson): unknown[] | undefined {
  const query = typeof expr.query === 'string' ? expr.query : '';
  const mode = typeof expr.parseMode === 'number' ? expr.parseMode : PLPGSQL_PARSE_MODE.statement;
  try {
    if (mode === PLPGSQL_PARSE_MODE.statement) return (parseSql(query).stmts ?? []).map((s) => s.stmt);
    if (mode === PLPGSQL_PARSE_MODE.assign1 || mode === PLPGSQL_PARSE_MODE.assign2 || mode === PLPGSQL_PARSE_MODE.assign3) {
      // `target := expr` (or `target = expr`): the expression is what follows the first assignment token.
      const tokens = scanSql(query).tokens;
      const assign = tokens.find((t) => t.text === ':=' || t.text === '=');
      if (!assign) return undefined;
      const rhs = query.slice(byteToCharOffset(query, assign.end));
      return (parseSql(`select ${rhs}`).stmts ?? []).map((s) => s.stmt);
    }
    return (parseSql(`select ${query}`).stmts ?? []).map((s) => s.stmt);
  } catch {
    return undefined;
  }
}

/** The NEW field a PL/pgSQL assignment targets (`new.updated_at := …` → `updated_at`), if that is its target. */
function newField(datums: PlpgsqlJson[], newVarno: number | null, varno: unknown): string | undefined {
  if (newVarno === null || typeof varno !== 'number') return undefined;
  const d = datums[varno];
  const f = isObject(d?.PLpgSQL_recfield) ? d.PLpgSQL_recfield : undefined;
  if (!f || typeof f.fieldname !== 'string') return undefined;
  const parent = typeof f.recparentno === 'number' ? f.recparentno : 0;
  return parent === newVarno ? f.fieldname : undefined;
}

/** `#variable_conflict use_column` at the top of the body (read with the SQL scanner), else the function's SET. */
function variableConflict(fn: Routine): RoutineBody['variableConflict'] {
  let setting: string | undefined;
  for (const c of fn.config) {
    const eq = c.indexOf('=');
    if (eq > 0 && c.slice(0, eq).toLowerCase() === 'plpgsql.variable_conflict') setting = c.slice(eq + 1);
  }
  try {
    const tokens = scanSql(fn.body).tokens;
    for (let i = 0; tokens[i]?.text === '#';) {
      const name = tokens[i + 1]?.text.toLowerCase();
      if (name === 'variable_conflict') {
        setting = tokens[i + 2]?.text;
        i += 3;
      } else if (name === 'print_strict_params') {
        i += 3;
      } else {
        i += 2;
      }
    }
  } catch {
    // An unscannable body did not compile either; keep the SET value.
  }
  const v = setting?.toLowerCase();
  return v === 'use_column' || v === 'use_variable' ? v : 'error';
}
