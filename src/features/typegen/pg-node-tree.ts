/**
 * A reader for PostgreSQL's `pg_node_tree` text (what `nodeToString` writes and pg_rewrite.ev_action holds): nodes
 * `{TYPE :field value …}`, lists `(…)` (with an `i`/`o`/`b`/`x` tag for integer, OID, bitmap and xid lists), `<>` for
 * NULL, and atoms in which a backslash escapes the next character. Datum values (`4 [ 1 0 0 0 ]`) are skipped as the
 * extra atoms of their field. This is the server's internal form of an already parsed query, not SQL: names are
 * resolved to OIDs and column numbers, which is what lineage needs.
 *
 * @example
 * const tree = parseNodeTree('({QUERY :commandType 1 :targetList ({TARGETENTRY :resno 1 :resjunk false})})');
 * (tree as PgNode[])[0]!.type; // 'QUERY'
 */

/** A node: its type tag and its fields (a field read as `<>` or written without a value is null). */
export interface PgNode {
  type: string;
  fields: Record<string, PgValue>;
}

export type PgValue = PgNode | PgValue[] | string | null;

interface Token {
  raw: string;
  text: string;
}

const DELIMS = '(){}';
const LIST_TAGS = new Set(['i', 'o', 'b', 'x']);

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (DELIMS.includes(ch)) {
      out.push({ raw: ch, text: ch });
      i++;
      continue;
    }
    const start = i;
    let text = '';
    while (i < input.length) {
      const c = input[i]!;
      if (c === '\\' && i + 1 < input.length) {
        text += input[i + 1];
        i += 2;
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || DELIMS.includes(c)) break;
      text += c;
      i++;
    }
    out.push({ raw: input.slice(start, i), text });
  }
  return out;
}

/** Parses pg_node_tree text. Throws on malformed input (callers treat that as "nothing can be proven"). */
export function parseNodeTree(input: string): PgValue {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error('pg_node_tree ended early');
    return t;
  };
  const endsField = (t: Token | undefined) => t === undefined || t.raw === '}' || (t.raw.startsWith(':') && t.raw.length > 1);
  const value = (): PgValue => {
    const t = next();
    if (t.raw === '{') {
      const type = next().text;
      const fields: Record<string, PgValue> = {};
      while (peek() !== undefined && peek()!.raw !== '}') {
        const field = next().raw;
        if (!field.startsWith(':')) continue; // stray atom: datum bytes of the previous field
        const name = field.slice(1);
        fields[name] = endsField(peek()) ? null : value();
        while (!endsField(peek())) value(); // the rest of a datum (`4 [ 1 0 0 0 ]`)
      }
      next();
      return { type, fields };
    }
    if (t.raw === '(') {
      const items: PgValue[] = [];
      if (peek() !== undefined && LIST_TAGS.has(peek()!.raw)) next();
      while (peek() !== undefined && peek()!.raw !== ')') items.push(value());
      next();
      return items;
    }
    if (t.raw === '<>') return null;
    return t.text;
  };
  const root = value();
  if (pos !== tokens.length) throw new Error('trailing tokens in pg_node_tree');
  return root;
}

/** `value` is a node (of `type`, when given). */
export function isNode(value: PgValue | undefined, type?: string): value is PgNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (type === undefined || value.type === type);
}

/** A list field as an array (absent or NULL: empty). */
export function listOf(value: PgValue | undefined): PgValue[] {
  return Array.isArray(value) ? value : [];
}
