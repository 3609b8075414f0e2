/**
 * Maps simple CHECK constraints (as `pg_get_constraintdef` deparses them) to bounds a Zod schema can express.
 *
 * Recognised, on one column `c` (or `VALUE` in a domain), N a number literal (casts such as `(0)::numeric` or
 * `'-1'::integer` allowed):
 * - `c >= N`, `c > N`, `c <= N`, `c < N` (and the mirrored `N <= c`);
 * - `c BETWEEN A AND B` (deparsed as `((c >= A) AND (c <= B))`), and any AND of recognised forms on the same column;
 * - `char_length(c)`, `character_length(c)` or `length(c)` compared with N (the string's length);
 * - `c IN ('a', 'b')` (deparsed as `c = ANY (ARRAY['a'::text, …])`, with casts for varchar);
 * - `c IS NULL OR <one of the above>` (nullability is the column's own).
 * Anything else (regexes, several columns, `trim`, functions, `<>`) is left to the database and reported.
 *
 * @example
 * parseSimpleCheck('CHECK (((c >= 1) AND (c <= 5)))'); // { column: 'c', bounds: { min: 1, max: 5 } }
 * parseSimpleCheck("CHECK ((f = ANY (ARRAY['x'::text, 'y'::text])))"); // { column: 'f', bounds: {}, values: ['x', 'y'] }
 */

/** Bounds on a value (`min`/`max` inclusive, `gt`/`lt` exclusive) or, for `length`, on a string's length. */
export interface Bounds {
  min?: number;
  max?: number;
  gt?: number;
  lt?: number;
}

export interface SimpleCheck {
  column: string;
  /** Bounds on the value itself. */
  bounds: Bounds;
  /** Bounds on the string length (`char_length`, `length`), inclusive. */
  length: { min?: number; max?: number };
  /** Allowed string values (`IN (…)`). */
  values?: string[];
}

/** Splits at depth 0 (outside parentheses and quotes) on a separator. */
function splitTop(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== '') {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** Index of the parenthesis closing the one at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quote !== '') {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

function stripParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && closing(t, 0) === t.length - 1) t = t.slice(1, -1).trim();
  return t;
}

/** Removes a trailing cast: `(x)::text`, `'5'::numeric`, `x::double precision`, `(ARRAY[…])::text[]`. */
function stripCast(text: string): string {
  let t = stripParens(text);
  for (;;) {
    const m = /^(.*)::(?:[a-z_][a-z0-9_ ]*|"[^"]+")(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*$/i.exec(t);
    if (!m) return t;
    const inner = (m[1] ?? '').trim();
    const whole = inner.startsWith('(')
      ? closing(inner, 0) === inner.length - 1
      : inner.startsWith("'")
        ? /^'(?:[^']|'')*'$/.test(inner)
        : /^[^\s()']+$/.test(inner);
    if (!whole) return t;
    t = stripParens(inner);
  }
}

const IDENT = /^(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+"|VALUE)$/;

function unquote(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident;
}

/** A column operand: `c`, `(c)::text`, or `char_length(c)` / `length(c)`. */
function operand(text: string): { column: string; length: boolean } | null {
  const t = stripCast(text);
  const fn = /^(char_length|character_length|length)\((.*)\)$/i.exec(t);
  if (fn) {
    const inner = stripCast(fn[2] ?? '');
    return IDENT.test(inner) ? { column: unquote(inner), length: true } : null;
  }
  return IDENT.test(t) ? { column: unquote(t), length: false } : null;
}

function literal(text: string): number | null {
  let t = stripCast(text);
  if (t.startsWith("'") && t.endsWith("'")) t = t.slice(1, -1);
  t = stripParens(t);
  if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function stringLiteral(text: string): string | null {
  const t = stripCast(text);
  const m = /^'((?:[^']|'')*)'$/.exec(t);
  return m ? (m[1] ?? '').replace(/''/g, "'") : null;
}

const FLIP: Record<string, string> = { '>=': '<=', '<=': '>=', '>': '<', '<': '>' };

function atom(text: string): SimpleCheck | null {
  const t = stripParens(text);
  const any = splitTop(t, ' = ANY ');
  if (any.length === 2) {
    const op = operand(any[0] ?? '');
    const arr = /^ARRAY\[(.*)\]$/s.exec(stripCast(any[1] ?? ''));
    if (!op || op.length || !arr) return null;
    const values: string[] = [];
    for (const item of splitTop(arr[1] ?? '', ',')) {
      const v = stringLiteral(item);
      if (v === null) return null;
      values.push(v);
    }
    return { column: op.column, bounds: {}, length: {}, values };
  }
  for (const op of ['>=', '<=', '>', '<']) {
    const sides = splitTop(t, ` ${op} `);
    if (sides.length !== 2) continue;
    let left = operand(sides[0] ?? '');
    let n = literal(sides[1] ?? '');
    let rel = op;
    if (!left || n === null) {
      left = operand(sides[1] ?? '');
      n = literal(sides[0] ?? '');
      rel = FLIP[op] ?? op;
    }
    if (!left || n === null) return null;
    const check: SimpleCheck = { column: left.column, bounds: {}, length: {} };
    if (left.length) {
      if (!Number.isInteger(n)) return null;
      if (rel === '>=') check.length.min = n;
      else if (rel === '>') check.length.min = n + 1;
      else if (rel === '<=') check.length.max = n;
      else check.length.max = n - 1;
    } else if (rel === '>=') check.bounds.min = n;
    else if (rel === '>') check.bounds.gt = n;
    else if (rel === '<=') check.bounds.max = n;
    else check.bounds.lt = n;
    return check;
  }
  return null;
}

function tighter(a: number | undefined, b: number | undefined, pick: (x: number, y: number) => number): number | undefined {
  return a === undefined ? b : b === undefined ? a : pick(a, b);
}

/** Combines two checks on the same column (both must hold). */
export function mergeChecks(a: SimpleCheck, b: SimpleCheck): SimpleCheck {
  const out: SimpleCheck = {
    column: a.column,
    bounds: {},
    length: {},
  };
  const set = <T extends object, K extends keyof T>(obj: T, k: K, v: T[K] | undefined) => {
    if (v !== undefined) obj[k] = v;
  };
  set(out.bounds, 'min', tighter(a.bounds.min, b.bounds.min, Math.max));
  set(out.bounds, 'gt', tighter(a.bounds.gt, b.bounds.gt, Math.max));
  set(out.bounds, 'max', tighter(a.bounds.max, b.bounds.max, Math.min));
  set(out.bounds, 'lt', tighter(a.bounds.lt, b.bounds.lt, Math.min));
  set(out.length, 'min', tighter(a.length.min, b.length.min, Math.max));
  set(out.length, 'max', tighter(a.length.max, b.length.max, Math.min));
  if (a.values && b.values) out.values = a.values.filter((v) => b.values?.includes(v));
  else if (a.values ?? b.values) out.values = a.values ?? b.values;
  return out;
}

function expression(text: string): SimpleCheck | null {
  const t = stripParens(text);
  const ors = splitTop(t, ' OR ');
  if (ors.length === 2) {
    const isNull = ors.findIndex((p) => /^(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+"|VALUE) IS NULL$/.test(stripParens(p)));
    if (isNull < 0) return null;
    const column = unquote(stripParens(ors[isNull] ?? '').replace(/ IS NULL$/i, ''));
    const rest = expression(ors[1 - isNull] ?? '');
    return rest && rest.column === column ? rest : null;
  }
  if (ors.length > 2) return null;
  const ands = splitTop(t, ' AND ');
  if (ands.length > 1) {
    let acc: SimpleCheck | null = null;
    for (const part of ands) {
      const c = expression(part);
      if (!c || (acc && acc.column !== c.column)) return null;
      acc = acc ? mergeChecks(acc, c) : c;
    }
    return acc;
  }
  return atom(t);
}

/** Parses `CHECK (…)` (optionally followed by `NOT VALID`); null when the check is not one of the simple forms. */
export function parseSimpleCheck(definition: string): SimpleCheck | null {
  const m = /^CHECK\s*(\(.*\))(?:\s+NOT VALID)?(?:\s+NO INHERIT)?$/s.exec(definition.trim());
  if (!m || closing(m[1] ?? '', 0) !== (m[1] ?? '').length - 1) return null;
  return expression(m[1] ?? '');
}
