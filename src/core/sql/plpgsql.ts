/**
 * The binding to the real PL/pgSQL parser (libpg-query's `parsePlPgSQLSync`, the same WASM module as `./parser.js`).
 *
 * It takes a whole `CREATE FUNCTION … LANGUAGE plpgsql AS $$ … $$` statement (what `pg_get_functiondef` prints) and
 * returns the compiled function as JSON: `datums` (parameters, declared variables, `new`/`old`, record fields) and
 * the statement tree, where every embedded SQL statement or expression is a `PLpgSQL_expr` whose `query` is SQL text
 * to parse again with `parseSql`. Load the module first with `await ensureParser()`.
 */
import { isParserReady, parserModule } from './parser.js';

/** One node of the PL/pgSQL tree, as libpg-query prints it: `{ PLpgSQL_stmt_if: { … } }` and plain objects. */
export type PlpgsqlJson = { [key: string]: unknown };

/** How a `PLpgSQL_expr` query is meant to be parsed (Postgres' RawParseMode). */
export const PLPGSQL_PARSE_MODE = {
  /** A whole SQL statement (`select … from …`, `insert …`), with any INTO clause removed. */
  statement: 0,
  /** An expression (`v > 0`, `exists (select …)`): parse as `select <expr>`. */
  expression: 2,
  /** `var := expr`, `var.field := expr`, `var.f1.f2 := expr`. */
  assign1: 3,
  assign2: 4,
  assign3: 5,
} as const;

/** The compiled function: its datums and its top-level block. */
export interface PlpgsqlFunction {
  datums: PlpgsqlJson[];
  action: PlpgsqlJson;
  /** Datum number of `new` in a trigger function (Postgres leaves it out of the JSON when it is 0). */
  newVarno: number | null;
}

/**
 * Parses a `CREATE FUNCTION` statement of a PL/pgSQL function. Throws libpg-query's SqlError on a syntax error in
 * the body.
 *
 * @example
 * await ensureParser();
 * const [fn] = parsePlpgsql('create function f() returns int language plpgsql as $$ begin return 1; end $$');
 * fn.action; // { PLpgSQL_stmt_block: { body: [ { PLpgSQL_stmt_return: … } ] } }
 */
export function parsePlpgsql(createFunction: string): PlpgsqlFunction[] {
  if (!isParserReady()) {
    throw new Error('internal error: parsePlpgsql() called before the SQL parser was loaded; await ensureParser() first');
  }
  const result = parserModule().parsePlPgSQLSync(createFunction) as unknown as { plpgsql_funcs?: { PLpgSQL_function?: PlpgsqlJson }[] };
  return (result.plpgsql_funcs ?? []).flatMap((f) => {
    const fn = f.PLpgSQL_function;
    if (!fn) return [];
    const datums = Array.isArray(fn.datums) ? (fn.datums as PlpgsqlJson[]) : [];
    const isTrigger = datums.some((d) => isRec(d, 'new'));
    return [
      {
        datums,
        action: (fn.action ?? {}) as PlpgsqlJson,
        newVarno: isTrigger ? (typeof fn.new_varno === 'number' ? fn.new_varno : 0) : null,
      },
    ];
  });
}

function isRec(d: PlpgsqlJson, name: string): boolean {
  const rec = d.PLpgSQL_rec as PlpgsqlJson | undefined;
  return rec !== undefined && rec.refname === name;
}
