/**
 * SQL files: splitting into statements with the real Postgres parser, positions, directives and error locations.
 *
 * @example
 * import { ensureParser, splitSql } from './core/sql/index.js';
 * await ensureParser();
 * const stmts = splitSql(text, file);
 */
export { ensureParser, isParserReady, parseSql, scanSql } from './parser.js';
export { byteToCharOffset, codePointsToCharOffset, excerpt, lineColAt } from './position.js';
export { splitSql, type Statement } from './split.js';
export { locateDbError } from './locate.js';
export { readDirectives, type Directives } from './directives.js';
export { qualified, quoteIdent, quoteLiteral } from './quote.js';
export { classifyTransactionControl, transactionKind, type TransactionControl } from './transaction-control.js';
