/**
 * require-lock-timeout: a statement that needs an ACCESS EXCLUSIVE lock on an existing table waits behind any running
 * query on that table, and while it waits every other query on the table queues behind it. `set lock_timeout` makes
 * it give up instead. Reported once per file (like squawk), at the first unguarded statement.
 */
import type { Statement } from '../../../core/sql/split.js';
import { transactionKind } from '../../../core/sql/transaction-control.js';
import { alterCmds, alterTarget, at, dropObjectKey, findNodes, names, report, rule, tableKey, type FileContext, type Node, type RangeVar } from './model.js';

export const requireLockTimeout = rule('require-lock-timeout', 'warn', 'ACCESS EXCLUSIVE lock on an existing table with no `set lock_timeout` before it in the file');

export const lockRules = [requireLockTimeout];

/** ALTER TABLE subcommands that take a weaker lock than ACCESS EXCLUSIVE (Postgres docs, ALTER TABLE). */
const WEAKER = new Set([
  'AT_ValidateConstraint', 'AT_SetStatistics', 'AT_ClusterOn', 'AT_DropCluster', 'AT_SetRelOptions', 'AT_ResetRelOptions', 'AT_EnableTrig',
  'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig', 'AT_DisableTrig', 'AT_EnableTrigAll', 'AT_DisableTrigAll', 'AT_EnableTrigUser',
  'AT_DisableTrigUser', 'AT_AttachPartition', 'AT_DetachPartitionFinalize',
]);

/** Lock mode 8 in LockStmt is AccessExclusiveLock. */
const ACCESS_EXCLUSIVE_MODE = 8;

/** What the statement locks ACCESS EXCLUSIVE among existing tables (e.g. 'ALTER TABLE public.users'), or undefined. */
function accessExclusiveOn(stmt: Statement, ctx: FileContext): string | undefined {
  const existing = (key: string | undefined): key is string => key !== undefined && !ctx.state.isNew(key);
  switch (stmt.kind) {
    case 'AlterTableStmt': {
      const target = alterTarget(stmt);
      if (!target || !existing(target.key)) return undefined;
      const strong = alterCmds(stmt).some(({ cmd }) => {
        if (WEAKER.has(String(cmd.subtype))) return false;
        const c = (cmd.def as Node | undefined)?.Constraint as Node | undefined;
        if (cmd.subtype === 'AT_AddConstraint' && c?.contype === 'CONSTR_FOREIGN') return false; // SHARE ROW EXCLUSIVE
        if (cmd.subtype === 'AT_DetachPartition' && ((cmd.def as Node | undefined)?.PartitionCmd as Node | undefined)?.concurrent === true) return false;
        return true;
      });
      return strong ? `ALTER TABLE ${target.key}` : undefined;
    }
    case 'RenameStmt': {
      const key = tableKey(stmt.ast.relation as RangeVar | undefined);
      const onTable = stmt.ast.renameType === 'OBJECT_TABLE' || stmt.ast.relationType === 'OBJECT_TABLE';
      return onTable && existing(key) ? `ALTER TABLE ${key} RENAME` : undefined;
    }
    case 'AlterObjectSchemaStmt': {
      const key = tableKey(stmt.ast.relation as RangeVar | undefined);
      return stmt.ast.objectType === 'OBJECT_TABLE' && existing(key) ? `ALTER TABLE ${key} SET SCHEMA` : undefined;
    }
    case 'DropStmt': {
      const keys = ((stmt.ast.objects as unknown[] | undefined) ?? []).map(dropObjectKey);
      if (stmt.ast.removeType === 'OBJECT_TABLE') {
        const hit = keys.find(existing);
        return hit ? `DROP TABLE ${hit}` : undefined;
      }
      if (stmt.ast.removeType === 'OBJECT_INDEX' && stmt.ast.concurrent !== true) {
        const hit = keys.find((k) => {
          const table = k === undefined ? undefined : ctx.state.indexes.get(k);
          return k !== undefined && !(table && ctx.state.isNew(table));
        });
        return hit ? `DROP INDEX ${hit}` : undefined;
      }
      return undefined;
    }
    case 'TruncateStmt': {
      const keys = ((stmt.ast.relations as { RangeVar?: RangeVar }[] | undefined) ?? []).map((r) => tableKey(r.RangeVar));
      const hit = keys.find(existing);
      return hit ? `TRUNCATE ${hit}` : undefined;
    }
    case 'LockStmt': {
      if (stmt.ast.mode !== ACCESS_EXCLUSIVE_MODE) return undefined;
      const keys = ((stmt.ast.relations as { RangeVar?: RangeVar }[] | undefined) ?? []).map((r) => tableKey(r.RangeVar));
      const hit = keys.find(existing);
      return hit ? `LOCK TABLE ${hit}` : undefined;
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt': {
      const key = tableKey(stmt.ast.table as RangeVar | undefined);
      return existing(key) ? `${stmt.kind === 'CreatePolicyStmt' ? 'CREATE' : 'ALTER'} POLICY on ${key}` : undefined;
    }
  }
  return undefined;
}

/** `select set_config('lock_timeout', …, true)`: the transaction-local form. */
function isLocalSetConfig(stmt: Statement): boolean {
  return findNodes(stmt.ast.targetList, 'FuncCall').some((call) => {
    const args = (call.args as unknown[] | undefined) ?? [];
    const flag = ((args[2] as Node | undefined)?.A_Const as Node | undefined)?.boolval as Node | undefined;
    return names(call.funcname).at(-1) === 'set_config' && flag?.boolval === true;
  });
}

/** The new lock_timeout state after `stmt`, or undefined when the statement does not touch it. */
function lockTimeoutAfter(stmt: Statement): boolean | undefined {
  const positive = (v: unknown): boolean => {
    const c = (v as Node | undefined)?.A_Const as Node | undefined;
    const raw = (c?.sval as Node | undefined)?.sval ?? (c?.ival as Node | undefined)?.ival ?? 0;
    const n = Number.parseFloat(String(raw));
    return Number.isFinite(n) && n > 0;
  };
  if (stmt.kind === 'VariableSetStmt' && stmt.ast.name === 'lock_timeout') {
    return stmt.ast.kind === 'VAR_SET_VALUE' && Array.isArray(stmt.ast.args) && positive(stmt.ast.args[0]);
  }
  if (stmt.kind === 'SelectStmt') {
    for (const call of findNodes(stmt.ast.targetList, 'FuncCall')) {
      const fn = names(call.funcname);
      const args = (call.args as unknown[] | undefined) ?? [];
      const setting = (((args[0] as Node | undefined)?.A_Const as Node | undefined)?.sval as Node | undefined)?.sval;
      if (fn[fn.length - 1] === 'set_config' && setting === 'lock_timeout') return positive(args[1]);
    }
  }
  return undefined;
}

export function checkLocks(stmt: Statement, ctx: FileContext): void {
  // In a -- keel:no-transaction file, SET LOCAL lasts until the file's own COMMIT / ROLLBACK, and outside BEGIN … COMMIT it does nothing.
  const tx = transactionKind(stmt);
  if (ctx.file.noTransaction && ctx.lockTimeoutLocal && tx && tx !== 'TRANS_STMT_BEGIN' && tx !== 'TRANS_STMT_START' && !ctx.inTransaction) {
    ctx.lockTimeoutSet = false;
    ctx.lockTimeoutLocal = false;
  }
  const after = lockTimeoutAfter(stmt);
  if (after !== undefined) {
    const local = stmt.kind === 'VariableSetStmt' ? stmt.ast.is_local === true : isLocalSetConfig(stmt);
    if (local && ctx.file.noTransaction && !ctx.inTransaction) return; // no effect outside a transaction block
    ctx.lockTimeoutSet = after;
    ctx.lockTimeoutLocal = after && local;
    return;
  }
  if (ctx.lockTimeoutSet) return;
  const what = accessExclusiveOn(stmt, ctx);
  if (what) ctx.unguardedLocks.push({ stmt, what });
}

/** After the last statement of a file: one finding at the first unguarded ACCESS EXCLUSIVE statement. */
export function finishLocks(ctx: FileContext): void {
  const first = ctx.unguardedLocks[0];
  if (!first) return;
  const more = ctx.unguardedLocks.length - 1;
  report(ctx, requireLockTimeout, {
    object: ctx.path,
    objectKind: 'migration',
    location: at(ctx, first.stmt, undefined),
    message: `${first.what} needs an ACCESS EXCLUSIVE lock${more > 0 ? ` (and ${more} later statement${more === 1 ? '' : 's'} in this file too)` : ''} with no lock_timeout set: if any query holds the table, the migration waits for it, and every read and write on the table queues behind the migration meanwhile`,
    remediation: ctx.file.noTransaction
      ? "start the file with `set lock_timeout = '5s';` so a blocked statement fails fast instead of stalling the table; retry the migration later"
      : "start the file with `set local lock_timeout = '5s';` (Keel runs the file in one transaction, so it ends with it): a blocked statement then fails fast and the whole file rolls back cleanly, to be retried later",
  });
}
