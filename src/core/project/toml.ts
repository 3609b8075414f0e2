import fs from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { KeelError, type SourceLocation } from '../errors.js';
import { decodeSqlText } from './files.js';

/** A TOML file read with the real parser, its text, and where its keys are written. */
export interface TomlFile {
  /** As messages name it: `supabase/config.toml`. */
  file: string;
  text: string;
  data: Record<string, unknown>;
  at: TomlLocations;
}

/**
 * Reads and parses a TOML file; undefined when it does not exist. A syntax error is a KeelError (KEEL_CONFIG) at the
 * parser's line and column, with its excerpt; an unreadable file too.
 *
 * @example
 * const t = readTomlFile('/app/supabase/config.toml', 'supabase/config.toml');
 */
export function readTomlFile(abs: string, file: string): TomlFile | undefined {
  let text: string;
  try {
    text = decodeSqlText(fs.readFileSync(abs), file); // TOML is UTF-8: other bytes (and NUL) are refused at their line
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      // a symbolic link to nothing is a mistake to report, not an absent file to default over
      const link = fs.lstatSync(abs, { throwIfNoEntry: false });
      if (!link?.isSymbolicLink()) return undefined;
      throw new KeelError('KEEL_CONFIG', `${file} is a symbolic link to ${fs.readlinkSync(abs)}, which does not exist`, {
        hint: `point the link at the real file, or remove ${file} to use the defaults; nothing was run`,
      });
    }
    if (err instanceof KeelError && err.code === 'KEEL_SQL_ENCODING') {
      throw new KeelError('KEEL_CONFIG', err.message, {
        location: err.location,
        hint: 'save the file as UTF-8 text (TOML must be UTF-8); nothing was run',
      });
    }
    throw new KeelError('KEEL_CONFIG', `cannot read ${file}: ${(err as Error).message}`, { hint: 'check the file and its permissions' });
  }
  try {
    return { file, text, data: parseToml(text) as Record<string, unknown>, at: locateTomlKeys(text, file) };
  } catch (err) {
    const e = err as Error & { line?: number; column?: number };
    const [first, ...rest] = e.message.split('\n\n');
    const excerpt = rest.join('\n\n').trimEnd();
    throw new KeelError('KEEL_CONFIG', `${file} is not valid TOML: ${(first ?? e.message).replace(/^Invalid TOML document: /, '')}`, {
      ...(e.line && { location: { file, line: e.line, column: e.column ?? 1 } }),
      ...(excerpt && { excerpt }),
      hint: 'fix the syntax (TOML: https://toml.io); nothing was run',
      cause: err,
    });
  }
}

/**
 * Where each key of a TOML file is written, for messages (`supabase/keel.toml:7:1`). smol-toml gives values, not
 * positions, so this reads the file's lines once more: table headers (`[a.b]`, `[[a.b]]`, each array entry counted),
 * `key = value` lines with bare, quoted and dotted keys; multi-line strings and arrays are stepped over. Paths are
 * segments, an array-of-tables entry a number: `['lint', 'ignore', 0, 'rule']`. Only the position is read here; the
 * values always come from the real parser.
 *
 * @example
 * const at = locateTomlKeys(text, 'supabase/keel.toml');
 * at.key(['lint', 'rules', 'no_primary_key']); // { file, line: 4, column: 1 }
 */
export interface TomlLocations {
  /** The key's (or table header's) position; for a missing key, the nearest enclosing table written in the file. */
  key(path: (string | number)[]): SourceLocation | undefined;
  /** Where a string value of that key is written (an array element, say), else the key. */
  value(path: (string | number)[], value: string): SourceLocation | undefined;
}

const SEP = '\u0000';

export function locateTomlKeys(text: string, file: string): TomlLocations {
  const keys = new Map<string, { line: number; column: number; offset: number }>();
  const arrays = new Map<string, number>();
  const lineStarts: number[] = [];
  let table: (string | number)[] = [];
  let multi: string | null = null;
  let depth = 0;
  let offset = 0;
  const lines = text.split('\n');
  const record = (path: (string | number)[], line: number, column: number, at: number) => {
    const k = path.join(SEP);
    if (!keys.has(k)) keys.set(k, { line, column, offset: at });
  };
  // A header's path: every prefix that is an array of tables points into its latest entry.
  const resolve = (segs: string[], upTo: number): (string | number)[] => {
    const out: (string | number)[] = [];
    for (let i = 0; i < upTo; i++) {
      out.push(segs[i]!);
      const n = arrays.get(out.join(SEP));
      if (n !== undefined) out.push(n - 1);
    }
    return out;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const start = offset;
    lineStarts.push(start);
    offset += lines[i]!.length + 1;
    if (multi) {
      if (line.split(multi).length % 2 === 0) multi = null;
      continue;
    }
    if (depth > 0) {
      depth = Math.max(depth + scanValue(line, 0).depth, 0);
      continue;
    }
    let pos = line.length - line.trimStart().length;
    if (pos >= line.length || line[pos] === '#') continue;
    if (line[pos] === '[') {
      const isArray = line[pos + 1] === '[';
      const parsed = parseKey(line, pos + (isArray ? 2 : 1));
      if (!parsed) continue;
      const segs = parsed.segs;
      for (let n = 1; n < segs.length; n++) record(resolve(segs, n), i + 1, pos + 1, start + pos);
      if (isArray) {
        const base = [...resolve(segs, segs.length - 1), segs.at(-1)!];
        const k = base.join(SEP);
        record(base, i + 1, pos + 1, start + pos);
        arrays.set(k, (arrays.get(k) ?? 0) + 1);
        table = [...base, arrays.get(k)! - 1];
      } else table = resolve(segs, segs.length);
      record(table, i + 1, pos + 1, start + pos);
      continue;
    }
    const parsed = parseKey(line, pos);
    if (!parsed) continue;
    pos = parsed.end;
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
    if (line[pos] !== '=') continue;
    const keyCol = line.length - line.trimStart().length;
    for (let n = 1; n <= parsed.segs.length; n++) record([...table, ...parsed.segs.slice(0, n)], i + 1, keyCol + 1, start + keyCol);
    const v = scanValue(line, pos + 1);
    multi = v.multi;
    depth = Math.max(v.depth, 0);
  }
  const position = (at: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - lineStarts[lo]! + 1 };
  };
  const key = (path: (string | number)[]) => {
    for (let n = path.length; n > 0; n--) {
      const hit = keys.get(path.slice(0, n).join(SEP));
      if (hit) return { hit, exact: n === path.length };
    }
    return undefined;
  };
  return {
    key(path) {
      const k = key(path);
      return k ? { file, line: k.hit.line, column: k.hit.column } : undefined;
    },
    value(path, value) {
      const k = key(path);
      if (!k) return undefined;
      const found = k.exact ? findString(text, k.hit.offset, value) : -1;
      return found < 0 ? { file, line: k.hit.line, column: k.hit.column } : { file, ...position(found) };
    },
  };
}

/** The first `"value"` or `'value'` at or after `from`, or -1. */
function findString(text: string, from: number, value: string): number {
  const hits = [JSON.stringify(value), `'${value}'`].map((q) => text.indexOf(q, from)).filter((n) => n >= 0);
  return hits.length ? Math.min(...hits) : -1;
}

/** A dotted key at `pos` (`a`, `"a b"`, `'a'`, `a . b`), up to where it ends. */
function parseKey(line: string, pos: number): { segs: string[]; end: number } | undefined {
  const segs: string[] = [];
  for (;;) {
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
    const ch = line[pos];
    if (ch === '"') {
      let s = '';
      pos++;
      while (pos < line.length && line[pos] !== '"') {
        if (line[pos] === '\\' && pos + 1 < line.length) {
          const esc = line[pos + 1]!;
          s += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc;
          pos += 2;
        } else s += line[pos++];
      }
      if (line[pos] !== '"') return undefined;
      pos++;
      segs.push(s);
    } else if (ch === "'") {
      const close = line.indexOf("'", pos + 1);
      if (close < 0) return undefined;
      segs.push(line.slice(pos + 1, close));
      pos = close + 1;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(line.slice(pos));
      if (!m) return undefined;
      segs.push(m[0]);
      pos += m[0].length;
    }
    let p = pos;
    while (line[p] === ' ' || line[p] === '\t') p++;
    if (line[p] !== '.') return { segs, end: pos };
    pos = p + 1;
  }
}

/** After `=` (or inside a multi-line array): brackets opened minus closed, and a multi-line string left open. */
function scanValue(line: string, pos: number): { depth: number; multi: string | null } {
  let depth = 0;
  while (pos < line.length) {
    const ch = line[pos]!;
    if (ch === '#') break;
    if (line.startsWith('"""', pos) || line.startsWith("'''", pos)) {
      const q = line.slice(pos, pos + 3);
      const close = line.indexOf(q, pos + 3);
      if (close < 0) return { depth, multi: q };
      pos = close + 3;
      continue;
    }
    if (ch === '"') {
      pos++;
      while (pos < line.length && line[pos] !== '"') pos += line[pos] === '\\' ? 2 : 1;
      pos++;
      continue;
    }
    if (ch === "'") {
      const close = line.indexOf("'", pos + 1);
      pos = close < 0 ? line.length : close + 1;
      continue;
    }
    if (ch === '[' || ch === '{') depth++;
    if (ch === ']' || ch === '}') depth--;
    pos++;
  }
  return { depth, multi: null };
}

/**
 * Problems found in one TOML file, each at the line of its key: thrown together as one KeelError (KEEL_CONFIG). One
 * problem is the error's message and location; several are listed (`file:line:col: …` each) under a count.
 *
 * @example
 * const p = new TomlProblems(t);
 * p.add(['db', 'seed', 'enabled'], '[db.seed] enabled must be true or false');
 * p.throwIfAny('see README, Configuration');
 */
export class TomlProblems {
  readonly list: { message: string; location?: SourceLocation }[] = [];
  constructor(readonly toml: Pick<TomlFile, 'file' | 'at'>) {}

  /** A problem at the key `path` (or at the string `value` written under it, an array element). */
  add(path: (string | number)[], message: string, value?: string): void {
    this.list.push({ message, location: value === undefined ? this.toml.at.key(path) : this.toml.at.value(path, value) });
  }

  /** The problems as `file:line:col: message` lines. */
  lines(): string[] {
    return this.list.map((p) =>
      p.location ? `${p.location.file}:${p.location.line}:${p.location.column}: ${p.message}` : `${this.toml.file}: ${p.message}`,
    );
  }

  throwIfAny(hint: string): void {
    if (this.list.length === 0) return;
    // In the file's order, as a reader fixes them; unlocated ones last.
    const rank = (p: { location?: SourceLocation }) => (p.location ? p.location.line * 1e6 + p.location.column : Infinity);
    this.list.sort((a, b) => rank(a) - rank(b));
    if (this.list.length === 1) {
      const p = this.list[0]!;
      throw new KeelError('KEEL_CONFIG', p.location ? p.message : `${this.toml.file}: ${p.message}`, {
        ...(p.location && { location: p.location }),
        hint,
      });
    }
    throw new KeelError('KEEL_CONFIG', `${this.toml.file} has ${this.list.length} problems`, { problems: this.lines(), hint });
  }
}
