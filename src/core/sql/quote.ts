/**
 * Quoting names and literals for SQL that Keel writes (backups, lint fixes, validate queries), as Postgres's
 * quote_ident and quote_literal do. Every catalog name that goes into SQL text goes through `quoteIdent`: a table named
 * `x; drop table y; --` must come out as one identifier, never as two statements.
 *
 * Pure functions: no parser needed, so the result never depends on whether the WASM parser has loaded.
 */

/**
 * The keywords quote_ident quotes: every one that is not UNRESERVED (reserved, type/function-name and column-name
 * keywords). The list is PostgreSQL 17/18's (identical; checked against the libpg-query scanner and pg_get_keywords()),
 * which contains the older servers' lists too. Quoting a word that did not need it is harmless, so it errs on the long side.
 */
const KEYWORDS = new Set(
  `all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create
   current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc
   distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral
   leading limit localtime localtimestamp not null offset on only or order placing primary references returning
   select session_user some symmetric system_user table then to trailing true union unique user using variadic when
   where window with authorization binary collation concurrently cross current_schema freeze full ilike inner is
   isnull join left like natural notnull outer overlaps right similar tablesample verbose between bigint bit boolean
   char character coalesce dec decimal exists extract float greatest grouping inout int integer interval json
   json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar json_serialize json_table
   json_value least merge_action national nchar none normalize nullif numeric out overlay position precision real
   row setof smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement
   xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/),
);

/** Whether `word` is a keyword that cannot stand as a bare name everywhere (so quoteIdent quotes it). */
export function isQuotedKeyword(word: string): boolean {
  return KEYWORDS.has(word);
}

/**
 * A name as SQL needs it: bare when it is a lower-case simple identifier (`^[a-z_][a-z0-9_$]*$`) and not a keyword,
 * double-quoted otherwise, with embedded double quotes doubled.
 *
 * @example
 * quoteIdent('tasks'); // 'tasks'
 * quoteIdent('Order Items'); // '"Order Items"'
 * quoteIdent('user'); // '"user"'
 * quoteIdent('x; drop table y; --'); // '"x; drop table y; --"'
 */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * `schema.name`, each part quoted as needed.
 *
 * @example
 * qualified('public', 'Tasks'); // 'public."Tasks"'
 */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * An identifier always in double quotes (inner quotes doubled), for SQL that is shown to people beside the names it
 * was written with, where a quote-when-needed form would make one report mix two styles.
 *
 * @example
 * quoteAlways('tasks'); // '"tasks"'
 */
export function quoteAlways(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A string literal, single quotes doubled; the E'' form (backslashes doubled too) when it holds a backslash, so the
 * result reads the same whatever standard_conforming_strings is.
 *
 * @example
 * quoteLiteral("it's"); // "'it''s'"
 * quoteLiteral('a\\b'); // "E'a\\\\b'"
 */
export function quoteLiteral(text: string): string {
  const body = text.replace(/'/g, "''");
  return text.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}
