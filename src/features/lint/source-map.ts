/**
 * Where the project defines each database object: a map from catalog objects (tables, policies, functions, indexes,
 * constraints, …) to the statement in migrations/, roles/ or policies/ that last created it, read from the parse
 * trees. Lint findings about catalog objects get their `file:line:col` from here.
 *
 * @example
 * const map = buildSourceMap(sql);
 * map.find({ kind: 'policy', schema: 'public', table: 'tasks', name: 'tasks_select_own' });
 * // { file: 'supabase/policies/tasks_rls.sql', line: 12, column: 1 }
 */
import type { SourceLocation } from '../../core/errors.js';
import type { Statement } from '../../core/sql/split.js';
import type { ProjectSql } from '../migrate/load.js';
import type { PreparedFile } from '../migrate/run-file.js';
import type { SourceKey } from './finding.js';

type Node = Record<string, unknown>;

export interface SourceMap {
  /** The statement that last defined the object; a column, constraint, policy or trigger falls back to its table's. */
  find(key: SourceKey): SourceLocation | undefined;
}

export function keyString(key: SourceKey): string {
  if ('table' in key) return `${key.kind}:${key.schema}.${key.table}.${key.name}`;
  if ('schema' in key) return `${key.kind}:${key.schema}.${key.name}`;
  return `${key.kind}:${key.name}`;
}

/** Files in the order Keel applies them, so a later definition (a re-created policy) wins. */
export function projectFiles(sql: ProjectSql): PreparedFile[] {
  return [...sql.migrations, ...sql.roles, ...sql.policies];
}

export function buildSourceMap(sql: ProjectSql | undefined): SourceMap {
  const map = new Map<string, SourceLocation>();
  for (const file of sql ? projectFiles(sql) : []) {
    for (const stmt of file.statements) {
      const at: SourceLocation = { file: file.file.file, line: stmt.line, column: stmt.column };
      for (const key of definedBy(stmt)) map.set(keyString(key), at);
    }
  }
  return {
    find(key) {
      const hit = map.get(keyString(key));
      if (hit || !('table' in key)) return hit;
      return (
        map.get(keyString({ kind: 'table', schema: key.schema, name: key.table })) ??
        map.get(keyString({ kind: 'view', schema: key.schema, name: key.table }))
      );
    },
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((n) => str((n as { String?: { sval?: string } }).String?.sval) ?? '') : [];
}

function relation(rv: unknown): { schema: string; name: string } | undefined {
  const r = rv as { schemaname?: string; relname?: string } | undefined;
  return r?.relname ? { schema: r.schemaname ?? 'public', name: r.relname } : undefined;
}

function qualified(list: unknown): { schema: string; name: string } | undefined {
  const parts = names(list);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? { schema: 'public', name: parts[0]! } : { schema: parts.at(-2)!, name: parts.at(-1)! };
}

/** The name Postgres gives an unnamed constraint: `<table>_<cols>_<suffix>` (without its 63-byte truncation). */
function implicitConstraintName(table: string, con: Node, column?: string): string | undefined {
  const cols = column ? [column] : names(con.keys ?? con.fk_attrs);
  switch (con.contype) {
    case 'CONSTR_PRIMARY':
      return `${table}_pkey`;
    case 'CONSTR_UNIQUE':
      return `${table}_${cols.join('_')}_key`;
    case 'CONSTR_FOREIGN':
      return `${table}_${cols.join('_')}_fkey`;
    case 'CONSTR_CHECK':
      return column ? `${table}_${column}_check` : `${table}_check`;
    case 'CONSTR_EXCLUSION':
      return `${table}_excl`;
    default:
      return undefined;
  }
}

function constraintKeys(table: { schema: string; name: string }, con: Node, column?: string): SourceKey[] {
  const name = str(con.conname) ?? implicitConstraintName(table.name, con, column);
  const keys: SourceKey[] = name ? [{ kind: 'constraint', schema: table.schema, table: table.name, name }] : [];
  // The index behind a primary key or unique constraint has the constraint's name.
  if (name && (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE'))
    keys.push({ kind: 'index', schema: table.schema, name });
  return keys;
}

/** Objects a statement creates (or re-creates), as source keys. */
function definedBy(stmt: Statement): SourceKey[] {
  const a = stmt.ast as Node;
  switch (stmt.kind) {
    case 'CreateStmt': {
      const t = relation(a.relation);
      if (!t) return [];
      const keys: SourceKey[] = [{ kind: 'table', ...t }];
      for (const elt of (a.tableElts as Node[] | undefined) ?? []) {
        const col = elt.ColumnDef as Node | undefined;
        if (col) {
          const colname = str(col.colname)!;
          keys.push({ kind: 'column', schema: t.schema, table: t.name, name: colname });
          for (const c of (col.constraints as Node[] | undefined) ?? []) keys.push(...constraintKeys(t, c.Constraint as Node, colname));
        }
        if (elt.Constraint) keys.push(...constraintKeys(t, elt.Constraint as Node));
      }
      return keys;
    }
    case 'AlterTableStmt': {
      const t = relation(a.relation);
      if (!t) return [];
      const keys: SourceKey[] = [];
      for (const c of (a.cmds as Node[] | undefined) ?? []) {
        const cmd = c.AlterTableCmd as Node | undefined;
        const def = cmd?.def as Node | undefined;
        if (cmd?.subtype === 'AT_AddConstraint' && def?.Constraint) keys.push(...constraintKeys(t, def.Constraint as Node));
        if (cmd?.subtype === 'AT_AddColumn' && def?.ColumnDef) {
          const col = def.ColumnDef as Node;
          keys.push({ kind: 'column', schema: t.schema, table: t.name, name: str(col.colname)! });
          for (const k of (col.constraints as Node[] | undefined) ?? [])
            keys.push(...constraintKeys(t, k.Constraint as Node, str(col.colname)));
        }
      }
      return keys;
    }
    case 'IndexStmt': {
      const t = relation(a.relation);
      if (!t) return [];
      const cols = ((a.indexParams as Node[] | undefined) ?? []).map((p) => str((p.IndexElem as Node | undefined)?.name) ?? 'expr');
      const name = str(a.idxname) ?? `${t.name}_${cols.join('_')}_${a.unique ? 'key' : 'idx'}`;
      return [{ kind: 'index', schema: t.schema, name }];
    }
    case 'CreatePolicyStmt': {
      const t = relation(a.table);
      return t ? [{ kind: 'policy', schema: t.schema, table: t.name, name: str(a.policy_name)! }] : [];
    }
    case 'CreateFunctionStmt': {
      const f = qualified(a.funcname);
      return f ? [{ kind: 'function', ...f }] : [];
    }
    case 'CreateTrigStmt': {
      const t = relation(a.relation);
      return t ? [{ kind: 'trigger', schema: t.schema, table: t.name, name: str(a.trigname)! }] : [];
    }
    case 'ViewStmt': {
      const v = relation(a.view);
      return v ? [{ kind: 'view', ...v }] : [];
    }
    case 'CreateTableAsStmt': {
      const v = relation((a.into as Node | undefined)?.rel);
      return v ? [{ kind: a.objtype === 'OBJECT_MATVIEW' ? 'view' : 'table', ...v }] : [];
    }
    case 'CreateExtensionStmt':
      return [{ kind: 'extension', name: str(a.extname)! }];
    case 'CreateSchemaStmt':
      return str(a.schemaname) ? [{ kind: 'schema', name: str(a.schemaname)! }] : [];
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt': {
      const t = stmt.kind === 'CreateEnumStmt' ? qualified(a.typeName) : relation(a.typevar);
      return t ? [{ kind: 'type', ...t }] : [];
    }
    case 'CreateDomainStmt': {
      const t = qualified(a.domainname);
      return t ? [{ kind: 'type', ...t }] : [];
    }
    case 'CreateSeqStmt': {
      const s = relation(a.sequence);
      return s ? [{ kind: 'sequence', ...s }] : [];
    }
    default:
      return [];
  }
}
