/**
 * Shared model of the migration-safety rules: which tables exist and which were created by the pending migrations,
 * names resolved the way Postgres resolves them (unqualified → `public`), and positions of AST nodes in the file.
 *
 * AST `location` fields are UTF-8 byte offsets into the WHOLE file text (splitSql parses the file in one go), so they
 * convert with `byteToCharOffset(file.text, …)` and `lineColAt(file.text, …)`.
 */
import type { SourceLocation } from '../../../core/errors.js';
import { isParserReady, scanSql } from '../../../core/sql/parser.js';
import { byteToCharOffset, lineColAt } from '../../../core/sql/position.js';
import { qualified } from '../../../core/sql/quote.js';
import type { Statement } from '../../../core/sql/split.js';
import type { PreparedFile } from '../../migrate/run-file.js';
import type { Finding, RuleInfo } from '../finding.js';

export type Node = Record<string, unknown>;

/** A parse-tree RangeVar (`schema.table` reference). */
export interface RangeVar {
  schemaname?: string;
  relname?: string;
  location?: number;
}

/** `schema.table` for a RangeVar; unqualified names resolve to `public`. */
export function tableKey(rel: RangeVar | undefined): string | undefined {
  if (!rel?.relname) return undefined;
  return `${rel.schemaname ?? 'public'}.${rel.relname}`;
}

/** A RangeVar as SQL spells it, for remediations: `public."Order Items"` (quoted where needed; unqualified → `public`). */
export function tableSql(rel: RangeVar | undefined): string | undefined {
  if (!rel?.relname) return undefined;
  return qualified(rel.schemaname ?? 'public', rel.relname);
}

/** `schema.name` from a DROP statement's name list (`[name]`, `[schema, name]` or `[catalog, schema, name]`). */
export function dropObjectKey(obj: unknown): string | undefined {
  const items = ((obj as Node | undefined)?.List as Node | undefined)?.items;
  if (!Array.isArray(items)) return undefined;
  const names = items.map((i) => ((i as Node).String as Node | undefined)?.sval).filter((s): s is string => typeof s === 'string');
  if (names.length === 0) return undefined;
  const name = names[names.length - 1]!;
  const schema = names.length >= 2 ? names[names.length - 2]! : 'public';
  return `${schema}.${name}`;
}

/** {@link dropObjectKey} as SQL spells it, for remediations (quoted where needed). */
export function dropObjectSql(obj: unknown): string | undefined {
  const items = ((obj as Node | undefined)?.List as Node | undefined)?.items;
  if (!Array.isArray(items)) return undefined;
  const names = items.map((i) => ((i as Node).String as Node | undefined)?.sval).filter((s): s is string => typeof s === 'string');
  if (names.length === 0) return undefined;
  return qualified(names.length >= 2 ? names[names.length - 2]! : 'public', names[names.length - 1]!);
}

/** The `sval` strings of a list of `{String: {sval}}` nodes (a qualified name or a type name). */
export function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((n) => ((n as Node).String as Node | undefined)?.sval).filter((s): s is string => typeof s === 'string');
}

/** Every node under `node` whose single key is `kind` (e.g. all `FuncCall`s of an expression), depth first. */
export function findNodes(node: unknown, kind: string, out: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const n of node) findNodes(n, kind, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Node)) {
      if (k === kind && v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Node);
      findNodes(v, kind, out);
    }
  }
  return out;
}

/** A function's volatility, as declared by `create function` in the pending migrations. */
export type Volatility = 'immutable' | 'stable' | 'volatile';

/**
 * What the pending migrations have done so far. A table is NEW when a pending file created it (CREATE TABLE, CREATE
 * TABLE AS, PARTITION OF) and it still goes by that name; every other table — listed in `existingTables` or not known
 * at all — is treated as EXISTING, i.e. possibly large and in use, which is the safe assumption.
 */
export class TableState {
  /** Tables that exist right now (before the pending files: `existingTables`; then as the files change them). */
  readonly exists: Set<string>;
  /** Tables created by the pending files so far (and not dropped or renamed away since). */
  readonly created = new Set<string>();
  /** Indexes created by the pending files: `schema.index` → `schema.table`. */
  readonly indexes = new Map<string, string>();
  /** Columns added to existing tables by the pending files (`schema.table.column`): no deployed client uses them yet. */
  readonly addedColumns = new Set<string>();
  /** Functions created by the pending files, by name (`schema.name`, any arguments). */
  readonly functions = new Map<string, Volatility>();

  constructor(existingTables: Set<string>) {
    this.exists = new Set(existingTables);
  }

  isNew(key: string | undefined): boolean {
    return key !== undefined && this.created.has(key);
  }

  create(key: string, ifNotExists: boolean): void {
    if (ifNotExists && this.exists.has(key)) return;
    this.exists.add(key);
    this.created.add(key);
  }

  drop(key: string): void {
    this.exists.delete(key);
    this.created.delete(key);
    for (const [idx, table] of this.indexes) if (table === key) this.indexes.delete(idx);
    for (const col of this.addedColumns) if (col.startsWith(`${key}.`)) this.addedColumns.delete(col);
  }

  rename(from: string, to: string): void {
    const wasNew = this.created.has(from);
    this.exists.delete(from);
    this.created.delete(from);
    this.exists.add(to);
    if (wasNew) this.created.add(to);
    for (const [idx, table] of this.indexes) if (table === from) this.indexes.set(idx, to);
    for (const col of [...this.addedColumns]) {
      if (col.startsWith(`${from}.`)) {
        this.addedColumns.delete(col);
        this.addedColumns.add(`${to}.${col.slice(from.length + 1)}`);
      }
    }
  }
}

/** Per-file context handed to every rule family. */
export interface FileContext {
  file: PreparedFile;
  /** Project-relative path, used as the object of file-level findings. */
  path: string;
  state: TableState;
  /** Statements run inside a transaction: always, unless the file is `-- keel:no-transaction` (then: inside its own BEGIN … COMMIT). */
  inTransaction: boolean;
  /** A positive `lock_timeout` is in force (set earlier in this file). */
  lockTimeoutSet: boolean;
  /** That lock_timeout was set with SET LOCAL (or set_config(…, true)): it ends with the transaction. */
  lockTimeoutLocal: boolean;
  /** Statements of this file that lock an existing table against writes (or reads) without a lock_timeout in force. */
  unguardedLocks: { stmt: Statement; what: string }[];
  /** Constraints added NOT VALID in this file: `schema.table.name`. */
  notValidConstraints: Set<string>;
  findings: Finding[];
}

/** 1-based position of an AST byte `location` in the file; the statement's start when the node has none. */
export function at(ctx: FileContext, stmt: Statement, location: unknown): SourceLocation {
  const text = ctx.file.file.text;
  if (typeof location === 'number' && location >= 0) {
    const offset = byteToCharOffset(text, location);
    if (offset >= stmt.start && offset <= stmt.start + stmt.sql.length) return { file: ctx.path, ...lineColAt(text, offset) };
  }
  return { file: ctx.path, line: stmt.line, column: stmt.column };
}

/**
 * Position of the `index`th subcommand of an ALTER TABLE (AlterTableCmd nodes carry no location), or of what follows
 * the relation name in any statement (`rename column …`). Found with the Postgres scanner: subcommands start right
 * after the relation name and after each comma outside parentheses. Falls back to the statement's start.
 */
export function afterRelation(ctx: FileContext, stmt: Statement, rel: RangeVar | undefined, index = 0): SourceLocation {
  const fallback = { file: ctx.path, line: stmt.line, column: stmt.column };
  if (!isParserReady() || typeof rel?.location !== 'number') return fallback;
  const text = ctx.file.file.text;
  const stmtByte = Buffer.byteLength(text.slice(0, stmt.start));
  let tokens;
  try {
    tokens = scanSql(stmt.sql).tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  } catch {
    return fallback;
  }
  let i = tokens.findIndex((t) => t.start === rel.location! - stmtByte);
  if (i < 0) return fallback;
  i++;
  while (tokens[i]?.text === '.' && i + 1 < tokens.length) i += 2;
  if (tokens[i]?.text === '*') i++;
  const starts = [i];
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j]!.text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (t === ',' && depth === 0) starts.push(j + 1);
  }
  const tok = tokens[starts[index] ?? -1];
  if (!tok) return fallback;
  const offset = stmt.start + byteToCharOffset(stmt.sql, tok.start);
  return { file: ctx.path, ...lineColAt(text, offset) };
}

/** Builds a finding at the rule's default level. */
export function report(
  ctx: FileContext,
  rule: RuleInfo,
  f: {
    object: string;
    objectKind: Finding['objectKind'];
    message: string;
    remediation: string;
    location: SourceLocation;
    level?: Finding['level'];
  },
): void {
  ctx.findings.push({
    rule: rule.id,
    level: f.level ?? rule.level,
    object: f.object,
    objectKind: f.objectKind,
    message: f.message,
    remediation: f.remediation,
    location: f.location,
  });
}

/** Defines a migration rule. */
export function rule(id: string, level: RuleInfo['level'], summary: string): RuleInfo {
  return { id, level, category: 'migration', summary };
}

/** The ALTER TABLE subcommands of a statement, with their index (for {@link afterRelation}). */
export function alterCmds(stmt: Statement): { cmd: Node; index: number }[] {
  if (stmt.kind !== 'AlterTableStmt') return [];
  const objtype = stmt.ast.objtype;
  if (objtype !== 'OBJECT_TABLE' && objtype !== 'OBJECT_FOREIGN_TABLE') return [];
  const cmds = stmt.ast.cmds;
  if (!Array.isArray(cmds)) return [];
  return cmds.map((c, index) => ({ cmd: ((c as Node).AlterTableCmd ?? {}) as Node, index }));
}

/** `schema.table` (and its RangeVar) of an ALTER TABLE on a table. */
export function alterTarget(stmt: Statement): { key: string; rel: RangeVar } | undefined {
  const rel = stmt.ast.relation as RangeVar | undefined;
  const key = tableKey(rel);
  return key && rel ? { key, rel } : undefined;
}
