/**
 * File-level `-- keel:…` directives: `--` comment lines before the first statement. Needs no parser.
 *
 * Known directives:
 * - `-- keel:no-transaction` — run the file's statements one by one outside a transaction (e.g. for
 *   `CREATE INDEX CONCURRENTLY`, `ALTER TYPE … ADD VALUE` on old servers).
 * - `-- keel:ignore name[, name…]` — names of checks the caller should not report for this file; alone, `'*'` (all).
 */

export interface Directives {
  noTransaction: boolean;
  /** Check names from `-- keel:ignore` directives, in order, without duplicates; `'*'` for a bare `-- keel:ignore`. */
  ignore: string[];
  /** `-- keel:xxx` directives this version does not know (lower-cased name, 1-based line), so callers can warn. */
  unknown: { name: string; line: number }[];
}

const DIRECTIVE = /^--\s*keel:\s*([a-z0-9_-]*)\s*(.*)$/i;

/**
 * Reads the directives at the top of a SQL file. Blank lines, `--` comments and block comments may precede them;
 * reading stops at the first line with anything else, so directives after the first statement are not seen.
 *
 * @example
 * readDirectives('-- keel:no-transaction\n-- keel:ignore lock-timeout\ncreate index concurrently i on t (a);');
 * // { noTransaction: true, ignore: ['lock-timeout'], unknown: [] }
 */
export function readDirectives(text: string): Directives {
  const result: Directives = { noTransaction: false, ignore: [], unknown: [] };
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  let commentDepth = 0;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!.trim();
    if (commentDepth > 0) {
      const rest = skipBlockComment(line, commentDepth);
      commentDepth = rest.depth;
      if (commentDepth > 0) continue;
      line = rest.rest.trim();
    }
    while (line.startsWith('/*')) {
      const rest = skipBlockComment(line.slice(2), 1);
      commentDepth = rest.depth;
      line = rest.rest.trim();
    }
    if (commentDepth > 0 || line === '') continue;
    if (!line.startsWith('--')) break;
    const m = DIRECTIVE.exec(line);
    if (m) apply(result, m[1]!.toLowerCase(), m[2]!.trim(), n + 1);
  }
  return result;
}

function apply(result: Directives, name: string, args: string, line: number): void {
  if (name === 'no-transaction') {
    result.noTransaction = true;
  } else if (name === 'ignore') {
    const names = args === '' ? ['*'] : args.split(/[\s,]+/).filter(Boolean);
    for (const v of names) if (!result.ignore.includes(v)) result.ignore.push(v);
  } else {
    result.unknown.push({ name, line });
  }
}

/** Consumes a (nested) block comment whose opening is already counted in `depth`; returns what follows it. */
function skipBlockComment(s: string, depth: number): { depth: number; rest: string } {
  let i = 0;
  while (i < s.length && depth > 0) {
    if (s.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (s.startsWith('*/', i)) {
      depth--;
      i += 2;
    } else {
      i++;
    }
  }
  return { depth, rest: s.slice(i) };
}
