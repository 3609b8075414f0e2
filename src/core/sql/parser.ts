/**
 * The binding to the real Postgres parser (libpg-query, PG 18, compiled to WASM).
 *
 * The WASM module loads asynchronously once; after `await ensureParser()` every other function in `core/sql` is
 * synchronous. Offsets in the results (`stmt_location`, `stmt_len`, token `start`/`end`) are UTF-8 BYTE offsets;
 * convert them with `byteToCharOffset` from `./position.js`. A parse error's `cursorPosition` is different: Postgres
 * reports it in CHARACTERS (code points, via pg_mbstrlen), 0-based here; convert it with `codePointsToCharOffset`.
 */
import type { ParseResult, ScanResult } from 'libpg-query';

type LibPgQuery = typeof import('libpg-query');

// Imported on first use: a command that never parses SQL (status on an unchanged project, ping, backup) does not pay
// for loading the module (~20-40 ms of a CLI run's start-up).
let lib: LibPgQuery | undefined;
let loading: Promise<void> | undefined;
let loaded = false;

/** The loaded module, for the other bindings in core/sql (PL/pgSQL); call after {@link ensureParser}. */
export function parserModule(): LibPgQuery {
  if (!lib || !loaded) throw new Error('internal error: the SQL parser was used before it was loaded; await ensureParser() first');
  return lib;
}

/**
 * Loads the parser's WASM module. Memoised: concurrent and repeated calls share one load; a failed load can be retried.
 *
 * @example
 * await ensureParser();
 * const stmts = splitSql(text, 'supabase/migrations/20240101000000_init.sql');
 */
export function ensureParser(): Promise<void> {
  if (loaded) return Promise.resolve();
  loading ??= import('libpg-query').then(
    async (mod) => {
      await mod.loadModule();
      lib = mod;
      loaded = true;
    },
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** Whether `ensureParser()` has finished, i.e. whether the sync functions may be called. */
export function isParserReady(): boolean {
  return loaded;
}

function requireParser(fn: string): void {
  if (!loaded) {
    throw new Error(`internal error: ${fn}() called before the SQL parser was loaded; await ensureParser() first`);
  }
}

/**
 * Parses SQL text into raw statements. Empty input gives no statements (libpg-query itself rejects ''). Parse errors
 * are thrown as libpg-query `SqlError`s whose `sqlDetails.cursorPosition` is a 0-based character (code point) offset.
 *
 * @example
 * await ensureParser();
 * parseSql('select 1; select 2').stmts?.length; // 2
 */
export function parseSql(text: string): ParseResult {
  requireParser('parseSql');
  if (text === '') return { stmts: [] };
  return lib!.parseSync(text);
}

/**
 * Tokenises SQL text with the Postgres scanner, comments included (`SQL_COMMENT`, `C_COMMENT`). Token offsets are
 * bytes. Throws a plain Error on text the scanner rejects (e.g. an unterminated string); empty input gives no tokens.
 *
 * @example
 * await ensureParser();
 * scanSql('-- hi\nselect 1').tokens.map((t) => t.tokenName); // ['SQL_COMMENT', 'UNKNOWN', 'ICONST']
 */
export function scanSql(text: string): ScanResult {
  requireParser('scanSql');
  if (text === '') return { version: 0, tokens: [] };
  return lib!.scanSync(text);
}

/** The details libpg-query attaches to a parse error. */
export interface ParserErrorDetails {
  message: string;
  /**
   * 0-based offset into the parsed text in characters (code points), NOT bytes: Postgres converts the scanner's byte
   * offset with pg_mbstrlen before reporting it. 0 also when the parser gave no position.
   */
  cursorPosition: number;
}

/**
 * Returns the parse-error details of a libpg-query error (duck-typed, so it works whichever copy of the module threw).
 *
 * @example
 * try { parseSql('select 1 +* from x'); } catch (e) { parserErrorDetails(e)?.cursorPosition; } // 12
 */
export function parserErrorDetails(err: unknown): ParserErrorDetails | undefined {
  if (!(err instanceof Error)) return undefined;
  const d = (err as Error & { sqlDetails?: unknown }).sqlDetails;
  if (typeof d !== 'object' || d === null) return undefined;
  const { message, cursorPosition } = d as Record<string, unknown>;
  if (typeof cursorPosition !== 'number') return undefined;
  return { message: typeof message === 'string' ? message : err.message, cursorPosition };
}
