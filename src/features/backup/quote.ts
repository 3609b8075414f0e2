/**
 * Quoting names and literals for the SQL that backups write, as Postgres's quote_ident and quote_literal do.
 */

/**
 * Keywords that cannot stand as a bare name everywhere (reserved, type/function-name and column-name keywords of
 * PG 18, plus a few of older servers). Quoting one that did not need it is harmless, so the list errs on the long side.
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

/**
 * A name as SQL needs it: bare when it is a lower-case simple identifier and not a keyword, double-quoted otherwise.
 *
 * @example
 * quoteIdent('tasks'); // 'tasks'
 * quoteIdent('Order Items'); // '"Order Items"'
 * quoteIdent('user'); // '"user"'
 */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * `schema.name`, each part quoted as needed.
 *
 * @example
 * qualify('public', 'Tasks'); // 'public."Tasks"'
 */
export function qualify(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * A string literal; E'' form when it holds a backslash, so the result reads the same whatever
 * standard_conforming_strings is.
 *
 * @example
 * quoteLiteral("it's"); // "'it''s'"
 */
export function quoteLiteral(text: string): string {
  const body = text.replace(/'/g, "''");
  return text.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}
