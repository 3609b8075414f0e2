/**
 * Migration safety (`keel lint`, category 'migration'): squawk's rules, by squawk's names, over the pending migration
 * files, read with the real Postgres parser.
 *
 * Unlike squawk, Keel follows the pending files in order: a table created by any of them (same file or an earlier
 * one) is NEW, and changes that are only risky on a big, busy table do not fire for it. Every other table is treated
 * as existing. Renames, drops and `create table if not exists` of an existing table are followed.
 *
 * @example
 * await ensureParser();
 * const findings = lintMigrations(pending, { existingTables: new Set(['public.users']) });
 */
import { isParserReady } from '../../../core/sql/parser.js';
import type { Statement } from '../../../core/sql/split.js';
import type { PreparedFile } from '../../migrate/run-file.js';
import type { Finding, RuleInfo } from '../finding.js';
import { checkColumns, columnRules } from './columns.js';
import { checkConstraints, constraintRules } from './constraints.js';
import { checkIndexes, indexRules } from './indexes.js';
import { checkLocks, finishLocks, lockRules } from './locks.js';
import {
  alterCmds,
  alterTarget,
  dropObjectKey,
  names,
  tableKey,
  TableState,
  type FileContext,
  type Node,
  type RangeVar,
  type Volatility,
} from './model.js';
import { checkTables, tableRules } from './tables.js';
import { checkTransactionNesting, trackExplicitTransaction, transactionRules } from './transactions.js';
import { checkTypes, typeRules } from './types.js';

export const migrationRules: RuleInfo[] = [
  ...columnRules,
  ...constraintRules,
  ...indexRules,
  ...tableRules,
  ...typeRules,
  ...lockRules,
  ...transactionRules,
];

export interface LintMigrationsOptions {
  /** `schema.table` of the tables that exist before the pending files run. */
  existingTables: Set<string>;
}

/**
 * Checks the pending migration files, in the order they will run. Call `await ensureParser()` first (the files'
 * statements may come from the split cache; transaction-nesting re-reads the file text).
 */
export function lintMigrations(files: PreparedFile[], opts: LintMigrationsOptions): Finding[] {
  if (files.length > 0 && !isParserReady()) {
    throw new Error(
      'internal error: lintMigrations() needs the SQL parser (prepared statements may come from the split cache); await ensureParser() first',
    );
  }
  const state = new TableState(opts.existingTables);
  const out: Finding[] = [];
  for (const file of files) {
    const ctx: FileContext = {
      file,
      path: file.file.file,
      state,
      inTransaction: !file.noTransaction,
      lockTimeoutSet: false,
      lockTimeoutLocal: false,
      unguardedLocks: [],
      notValidConstraints: new Set(),
      findings: [],
    };
    checkTransactionNesting(ctx);
    for (const stmt of file.statements) {
      trackExplicitTransaction(stmt, ctx);
      checkColumns(stmt, ctx);
      checkConstraints(stmt, ctx);
      checkIndexes(stmt, ctx);
      checkTables(stmt, ctx);
      checkTypes(stmt, ctx);
      checkLocks(stmt, ctx);
      apply(stmt, state);
    }
    finishLocks(ctx);
    ctx.findings.sort((a, b) => a.location!.line - b.location!.line || a.location!.column - b.location!.column);
    out.push(...ctx.findings);
  }
  return out;
}

/** Updates the model with what a statement creates, renames or drops (after the rules have seen it). */
function apply(stmt: Statement, state: TableState): void {
  const ast = stmt.ast;
  switch (stmt.kind) {
    case 'CreateStmt': {
      const key = tableKey(ast.relation as RangeVar);
      if (key) state.create(key, ast.if_not_exists === true);
      return;
    }
    case 'CreateTableAsStmt': {
      const key = tableKey((ast.into as Node | undefined)?.rel as RangeVar | undefined);
      if (key) state.create(key, ast.if_not_exists === true);
      return;
    }
    case 'DropStmt': {
      const keys = ((ast.objects as unknown[] | undefined) ?? []).map(dropObjectKey).filter((k): k is string => k !== undefined);
      if (ast.removeType === 'OBJECT_TABLE') for (const k of keys) state.drop(k);
      if (ast.removeType === 'OBJECT_INDEX') for (const k of keys) state.indexes.delete(k);
      return;
    }
    case 'RenameStmt': {
      const rel = ast.relation as RangeVar | undefined;
      const key = tableKey(rel);
      if (ast.renameType === 'OBJECT_TABLE' && key) state.rename(key, `${rel?.schemaname ?? 'public'}.${String(ast.newname)}`);
      if (ast.renameType === 'OBJECT_COLUMN' && key && state.addedColumns.delete(`${key}.${String(ast.subname)}`))
        state.addedColumns.add(`${key}.${String(ast.newname)}`);
      return;
    }
    case 'AlterTableStmt': {
      const target = alterTarget(stmt);
      if (!target || state.isNew(target.key)) return;
      for (const { cmd } of alterCmds(stmt)) {
        const def = (cmd.def as Node | undefined)?.ColumnDef as Node | undefined;
        if (cmd.subtype === 'AT_AddColumn' && typeof def?.colname === 'string') state.addedColumns.add(`${target.key}.${def.colname}`);
        if (cmd.subtype === 'AT_DropColumn') state.addedColumns.delete(`${target.key}.${String(cmd.name)}`);
      }
      return;
    }
    case 'AlterObjectSchemaStmt': {
      const rel = ast.relation as RangeVar | undefined;
      const key = tableKey(rel);
      if (ast.objectType === 'OBJECT_TABLE' && key) state.rename(key, `${String(ast.newschema)}.${rel?.relname ?? ''}`);
      return;
    }
    case 'IndexStmt': {
      const rel = ast.relation as RangeVar | undefined;
      const key = tableKey(rel);
      if (key && typeof ast.idxname === 'string') state.indexes.set(`${rel?.schemaname ?? 'public'}.${ast.idxname}`, key);
      return;
    }
    case 'CreateFunctionStmt': {
      const n = names(ast.funcname);
      const name = n[n.length - 1];
      if (!name) return;
      const schema = n.length >= 2 ? n[n.length - 2]! : 'public';
      const opt = ((ast.options as Node[] | undefined) ?? [])
        .map((o) => o.DefElem as Node | undefined)
        .find((d) => d?.defname === 'volatility');
      const v = ((opt?.arg as Node | undefined)?.String as Node | undefined)?.sval;
      state.functions.set(`${schema}.${name}`, v === 'immutable' || v === 'stable' ? (v as Volatility) : 'volatile');
      return;
    }
  }
}
