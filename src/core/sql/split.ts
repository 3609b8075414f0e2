/**
 * Splits a SQL file into statements with the real Postgres parser, so `$$` bodies, DO blocks, nested comments and
 * quoted semicolons are handled exactly as the server would.
 */
import { KeelError } from '../errors.js';
import { parseSql, parserErrorDetails, scanSql } from './parser.js';
import { byteToCharOffset, codePointsToCharOffset, excerpt, lineColAt } from './position.js';

/** One top-level statement of a SQL file. */
export interface Statement {
  /** Exact text from the file, from its first token to its last (no trailing semicolon, no leading or trailing comments); comments inside are kept. */
  sql: string;
  /** Char offset (JS string index) in the file where `sql` starts. */
  start: number;
  /** 1-based line of `start`. */
  line: number;
  /** 1-based column of `start`, in characters. */
  column: number;
  /** Top-level AST node name, e.g. 'CreateStmt', 'TransactionStmt', 'CreateFunctionStmt', 'IndexStmt', 'DoStmt'. */
  kind: string;
  /** The node's body (the value under `kind` in the parse tree). */
  ast: Record<string, unknown>;
}

/** Whitespace as the Postgres scanner sees it (not Unicode spaces). */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Moves `i` past whitespace, `--` comments and (nested) block comments. Safe because `i` is never inside a token. */
function skipTrivia(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 45 && text.charCodeAt(i + 1) === 45) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl >= end ? end : nl + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      let depth = 0;
      while (i < end) {
        if (text.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          i += 2;
          if (--depth === 0) break;
        } else {
          i++;
        }
      }
    } else {
      break;
    }
  }
  return Math.min(i, end);
}

/**
 * End of the statement's last token. `stmt_len` runs up to the semicolon (or the end of the file for the last
 * statement), so it can end in whitespace and comments. Comments are only possible if the last line contains `--` or
 * the text ends with `*`+`/`; only then is the statement re-scanned.
 */
function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  const body = text.slice(start, end);
  const lastLine = body.slice(body.lastIndexOf('\n') + 1);
  if (!lastLine.includes('--') && !body.endsWith('*/')) return end;
  try {
    const tokens = scanSql(body).tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
    const last = tokens[tokens.length - 1];
    // Converted locally so the file's cached position index is not displaced by every statement's text.
    return last ? start + Buffer.from(body).subarray(0, last.end).toString('utf8').length : end;
  } catch {
    return end;
  }
}

/**
 * Splits `text` into statements. Call `await ensureParser()` first. Empty statements (`;;`) are skipped and a file of
 * only comments and whitespace gives `[]`.
 *
 * @throws KeelError `KEEL_SQL_SYNTAX` with the location of the parse error, an excerpt and a hint.
 * @example
 * await ensureParser();
 * splitSql('-- init\ncreate table t (id int);\nselect 1;', 'init.sql');
 * // [{ sql: 'create table t (id int)', start: 8, line: 2, column: 1, kind: 'CreateStmt', ast: {...} },
 * //  { sql: 'select 1', start: 33, line: 3, column: 1, kind: 'SelectStmt', ast: {...} }]
 */
export function splitSql(text: string, file: string): Statement[] {
  let parsed;
  try {
    parsed = parseSql(text);
  } catch (err) {
    throw toSyntaxError(err, text, file);
  }
  const out: Statement[] = [];
  for (const raw of parsed.stmts ?? []) {
    const node = raw.stmt as Record<string, unknown> | undefined;
    const kind = node ? Object.keys(node)[0] : undefined;
    if (!node || !kind) continue;
    const byteStart = raw.stmt_location ?? 0;
    const from = byteToCharOffset(text, byteStart);
    const to = raw.stmt_len === undefined ? text.length : byteToCharOffset(text, byteStart + raw.stmt_len);
    const start = skipTrivia(text, from, to);
    const end = trimEnd(text, start, to);
    if (end <= start) continue;
    const { line, column } = lineColAt(text, start);
    out.push({ sql: text.slice(start, end), start, line, column, kind, ast: (node[kind] ?? {}) as Record<string, unknown> });
  }
  return out;
}

/** Shortens the `at or near "…"` part, which for an unclosed quote is the whole rest of the file. */
function shortenMessage(message: string): string {
  const m = /^([\s\S]*? at or near ")([\s\S]*)"$/.exec(message);
  if (!m) return message;
  const near = m[2]!;
  const firstLine = near.split('\n', 1)[0]!.replace(/\r$/, '');
  const chars = Array.from(firstLine);
  if (firstLine === near && chars.length <= 40) return message;
  return `${m[1]}${chars.slice(0, 40).join('')}…"`;
}

function hintFor(message: string, text: string, offset: number): string | undefined {
  if (message.startsWith('unterminated dollar-quoted string')) {
    const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(offset, offset + 80))?.[0] ?? '$tag$';
    return `a ${tag} … ${tag} body is not closed; add the closing ${tag} (the opening and closing tags must match exactly)`;
  }
  if (message.startsWith('unterminated quoted string')) {
    return "a '…' string is not closed; a quote inside a string is written twice ('it''s')";
  }
  if (message.startsWith('unterminated quoted identifier')) return 'a "…" quoted identifier is not closed';
  if (message.startsWith('unterminated /* comment')) {
    return 'a /* … */ comment is not closed (comments nest in Postgres: every /* needs its own */)';
  }
  if (message === 'syntax error at end of input') {
    return 'the file ends in the middle of a statement; look for an unclosed parenthesis or an unfinished last statement';
  }
  if (message.startsWith('syntax error at or near')) {
    return 'the problem is at or just before this point; a missing comma, parenthesis or semicolon is a common cause';
  }
  return undefined;
}

/** Turns a libpg-query parse error into a KeelError pointing into the file; anything else passes through. */
function toSyntaxError(err: unknown, text: string, file: string): unknown {
  const details = parserErrorDetails(err);
  if (!details) return err;
  // cursorPosition counts code points (unlike stmt_location, which counts bytes).
  let offset = codePointsToCharOffset(text, details.cursorPosition);
  // "at end of input" points past trailing whitespace; point just after the last thing written instead.
  if (details.message.endsWith('at end of input')) {
    while (offset > 0 && isSpace(text.charCodeAt(offset - 1))) offset--;
  }
  const { line, column } = lineColAt(text, offset);
  return new KeelError('KEEL_SQL_SYNTAX', shortenMessage(details.message), {
    location: { file, line, column },
    excerpt: excerpt(text, line, column),
    hint: hintFor(details.message, text, offset),
    cause: err,
  });
}
