/**
 * Quoting names and literals for the SQL that backups write: the shared quoting of `core/sql/quote.ts`.
 */
export { qualified as qualify, quoteIdent, quoteLiteral } from '../../core/sql/quote.js';
