import fs from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { KeelError, type SourceLocation } from '../../core/errors.js';

/** Who a query runs as: a database role plus the JWT claims Supabase would put in `request.jwt.claims`. */
export interface Persona {
  name: string;
  role: 'anon' | 'authenticated' | 'service_role';
  /** The user id (`sub` claim); absent for anon and service_role personas without one. */
  sub?: string;
  /** Extra claims merged into the JWT (email, app_metadata, …). */
  claims?: Record<string, unknown>;
}

export type SelectExpectation = { kind: 'all' } | { kind: 'none' } | { kind: 'count'; count: number } | { kind: 'ids'; ids: string[] };

export interface WriteExpectation {
  allow: boolean;
  row?: Record<string, unknown>;
  where?: Record<string, unknown>;
  set?: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TableSpec {
  /** `schema.table`, a part holding a dot or a double quote written in double quotes (see {@link tableName}) */
  table: string;
  schema: string;
  name: string;
  /** The key as the spec writes it (`public."a.b"`), for locating it. */
  key: string;
  select?: Map<string, SelectExpectation>;
  insert?: { row?: Record<string, unknown>; personas: Map<string, WriteExpectation> };
  update?: { where?: Record<string, unknown>; set?: Record<string, unknown>; personas: Map<string, WriteExpectation> };
  delete?: { where?: Record<string, unknown>; personas: Map<string, WriteExpectation> };
}

export interface RlsSpec {
  file: string;
  personas: Map<string, Persona>;
  tables: TableSpec[];
  /**
   * Where a key of the spec is written (`['tables', 'public.notes', 'insert', 'row', 'body']`), else its nearest
   * written parent: checks against the database name the line.
   */
  locate(path: string[]): SourceLocation | undefined;
}

const ROLES = ['anon', 'authenticated', 'service_role'];
const WRITE_OPS = ['insert', 'update', 'delete'] as const;
const SAMPLE_KEYS: Record<string, string[]> = { insert: ['row'], update: ['where', 'set'], delete: ['where'] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads and checks an RLS spec (format: docs/rls-spec.md), reporting every problem at once with its line and column.
 *
 * @example
 * const spec = loadRlsSpec('/app/supabase/tests/rls.yaml', 'supabase/tests/rls.yaml');
 */
export function loadRlsSpec(path: string, file: string): RlsSpec {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch {
    throw new KeelError('KEEL_NO_RLS_SPEC', `no RLS spec at ${file}`, { hint: 'write one (see docs/rls-spec.md) or pass --spec <file>' });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const where = (node: Node | null | undefined) => {
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    return pos ? `${file}:${pos.line}:${pos.col}` : file;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw new KeelError('KEEL_RLS_SPEC', `${file} is not valid YAML: ${e.message.split('\n')[0]}`, {
      location: { file, line: pos.line, column: pos.col },
      hint: 'see docs/rls-spec.md',
    });
  }
  const problems: string[] = [];
  let root: unknown;
  try {
    root = doc.toJS();
  } catch (err) {
    // the yaml library refuses alias bombs (billions laughs) while building the value
    throw new KeelError('KEEL_RLS_SPEC', `${file} cannot be read: ${(err as Error).message}`, {
      hint: 'write the spec without YAML aliases that expand into huge values (see docs/rls-spec.md)',
    });
  }
  const positions = new Map<string, SourceLocation>();
  // Every mapping key's node by its path, so finding one is a lookup (a search through the mapping per lookup made
  // loading a 1,400-table spec quadratic).
  const keyNodes = new Map<string, Node>();
  const walk = (node: unknown, at: string[]) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const keyPath = [...at, String(pair.key.value)];
      if (!keyNodes.has(keyPath.join('\u0000'))) keyNodes.set(keyPath.join('\u0000'), pair.key as Node);
      const range = (pair.key as Node).range;
      if (range) {
        const pos = lineCounter.linePos(range[0]);
        positions.set(keyPath.join('\u0000'), { file, line: pos.line, column: pos.col });
      }
      walk(pair.value, keyPath);
    }
  };
  walk(doc.contents, []);
  const locate = (at: string[]): SourceLocation | undefined => {
    for (let n = at.length; n > 0; n--) {
      const hit = positions.get(at.slice(0, n).join('\u0000'));
      if (hit) return hit;
    }
    return undefined;
  };
  // Point at the key (`  notes:`), which is where a reader looks, falling back to the value.
  const nodeAt = (...p: string[]): Node | undefined => keyNodes.get(p.join('\u0000')) ?? (doc.getIn(p, true) as Node | undefined);
  if (!isRecord(root))
    throw new KeelError('KEEL_RLS_SPEC', `${file} must be a mapping with personas and tables`, { hint: 'see docs/rls-spec.md' });

  const personas = new Map<string, Persona>();
  if (!isRecord(root.personas))
    problems.push(`${where(doc.contents as Node)}: "personas" must be a mapping of name → { role, sub?, claims? }`);
  else {
    for (const [name, p] of Object.entries(root.personas)) {
      const at = where(nodeAt('personas', name));
      if (!isRecord(p) || typeof p.role !== 'string' || !ROLES.includes(p.role)) {
        problems.push(`${at}: persona "${name}" needs role: ${ROLES.join(' | ')}`);
        continue;
      }
      if (p.sub !== undefined && (typeof p.sub !== 'string' || !UUID.test(p.sub)))
        problems.push(`${at}: persona "${name}": sub must be a user id, a UUID (auth.uid() reads it as one), not ${JSON.stringify(p.sub)}`);
      if (p.claims !== undefined && !isRecord(p.claims)) problems.push(`${at}: persona "${name}": claims must be a mapping`);
      personas.set(name, {
        name,
        role: p.role as Persona['role'],
        sub: p.sub as string | undefined,
        claims: p.claims as Record<string, unknown> | undefined,
      });
    }
  }

  const tables: TableSpec[] = [];
  if (!isRecord(root.tables)) problems.push(`${file}: "tables" must be a mapping of schema.table → operations`);
  else {
    for (const [table, ops] of Object.entries(root.tables)) {
      const at = where(nodeAt('tables', table));
      const parts = parseTableKey(table);
      if (!parts) {
        const tip = table.includes('.') ? '; double-quote a part that holds a dot: public."a.b"' : '';
        problems.push(`${at}: "${table}" must be schema-qualified (public.${table})${tip}`);
      }
      if (!isRecord(ops)) {
        problems.push(`${at}: ${table} must map operations (select, insert, update, delete)`);
        continue;
      }
      const spec: TableSpec = {
        ...(parts ?? { schema: '', name: table }),
        table: parts ? tableName(parts.schema, parts.name) : table,
        key: table,
      };
      for (const op of Object.keys(ops)) {
        if (!['select', ...WRITE_OPS].includes(op))
          problems.push(`${where(nodeAt('tables', table, op))}: unknown operation "${op}" (select, insert, update, delete)`);
      }
      const persona = (name: string, opAt: string) => {
        if (!personas.has(name)) problems.push(`${opAt}: "${name}" is not a declared persona`);
      };
      if (ops.select !== undefined) {
        spec.select = new Map();
        const opAt = where(nodeAt('tables', table, 'select'));
        if (!isRecord(ops.select)) problems.push(`${opAt}: select must map persona → all | none | <count> | { ids: [...] }`);
        else {
          for (const [name, v] of Object.entries(ops.select)) {
            persona(name, where(nodeAt('tables', table, 'select', name)));
            if (v === 'all') spec.select.set(name, { kind: 'all' });
            else if (v === 'none') spec.select.set(name, { kind: 'none' });
            else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) spec.select.set(name, { kind: 'count', count: v });
            else if (isRecord(v) && Array.isArray(v.ids)) spec.select.set(name, { kind: 'ids', ids: v.ids.map(String) });
            else
              problems.push(
                `${where(nodeAt('tables', table, 'select', name))}: ${table} select for ${name} must be all, none, a count or { ids: [...] }`,
              );
          }
        }
      }
      for (const op of WRITE_OPS) {
        const body = ops[op];
        if (body === undefined) continue;
        const opAt = where(nodeAt('tables', table, op));
        if (!isRecord(body)) {
          problems.push(`${opAt}: ${op} must map ${SAMPLE_KEYS[op]!.join('/')} and persona → allow | deny`);
          continue;
        }
        const personasOf = new Map<string, WriteExpectation>();
        for (const [name, v] of Object.entries(body)) {
          if (SAMPLE_KEYS[op]!.includes(name)) {
            if (!isRecord(v))
              problems.push(`${where(nodeAt('tables', table, op, name))}: ${op}.${name} must be a mapping of column → value`);
            continue;
          }
          persona(name, where(nodeAt('tables', table, op, name)));
          if (v === 'allow' || v === 'deny') personasOf.set(name, { allow: v === 'allow' });
          else if (isRecord(v) && (v.allow === true || v.deny === true)) {
            for (const k of ['row', 'where', 'set']) {
              if (v[k] !== undefined && !isRecord(v[k]))
                problems.push(`${where(nodeAt('tables', table, op, name, k))}: ${op}.${name}.${k} must be a mapping of column → value`);
            }
            personasOf.set(name, {
              allow: v.allow === true,
              row: isRecord(v.row) ? v.row : undefined,
              where: isRecord(v.where) ? v.where : undefined,
              set: isRecord(v.set) ? v.set : undefined,
            });
          } else
            problems.push(
              `${where(nodeAt('tables', table, op, name))}: ${table} ${op} for ${name} must be allow, deny or { allow|deny: true, … }`,
            );
        }
        for (const [name, w] of personasOf) {
          const needs = SAMPLE_KEYS[op]!.filter((k) => !(w as unknown as Record<string, unknown>)[k] && !isRecord(body[k]));
          if (needs.length > 0)
            problems.push(`${opAt}: ${table} ${op} for ${name} has no ${needs.join(' / ')} (give a sample under ${op})`);
        }
        const sample = (k: string) => (isRecord(body[k]) ? (body[k] as Record<string, unknown>) : undefined);
        if (op === 'insert') spec.insert = { row: sample('row'), personas: personasOf };
        if (op === 'update') spec.update = { where: sample('where'), set: sample('set'), personas: personasOf };
        if (op === 'delete') spec.delete = { where: sample('where'), personas: personasOf };
      }
      tables.push(spec);
    }
  }
  if (problems.length > 0) {
    throw new KeelError('KEEL_RLS_SPEC', `${file} has ${problems.length} problem${problems.length > 1 ? 's' : ''}`, {
      problems,
      hint: 'see docs/rls-spec.md',
    });
  }
  return { file, personas, tables, locate };
}

/**
 * How the spec and its reports name a table: `schema.name`, with a part that holds a dot or a double quote written in
 * double quotes (inner quotes doubled), so the name reads back to the same two parts.
 *
 * @example
 * tableName('public', 'a.b') // 'public."a.b"'
 */
export function tableName(schema: string, name: string): string {
  const part = (s: string) => (/[."]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s);
  return `${part(schema)}.${part(name)}`;
}

/**
 * Splits a spec's table key into schema and name: two parts separated by a dot, each bare (taken as written up to
 * the next dot, no case folding) or in double quotes with `""` for a quote. Undefined when the key is not exactly two non-empty parts.
 *
 * @example
 * parseTableKey('public."a.b"') // { schema: 'public', name: 'a.b' }
 */
export function parseTableKey(key: string): { schema: string; name: string } | undefined {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    let part = '';
    if (key[i] === '"') {
      i++;
      for (;;) {
        if (i >= key.length) return undefined; // unterminated quote
        if (key[i] === '"') {
          if (key[i + 1] !== '"') break;
          i++;
        }
        part += key[i++];
      }
      i++; // closing quote
      if (i < key.length && key[i] !== '.') return undefined;
    } else {
      // bare: taken as written up to the next dot (a quote inside it is just a character, as older specs wrote it)
      while (i < key.length && key[i] !== '.') part += key[i++];
    }
    if (part === '') return undefined;
    parts.push(part);
    if (i >= key.length) break;
    i++; // the dot
  }
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : undefined;
}
