/**
 * require-lock-timeout: a statement that needs a lock blocking writes (SHARE and stronger) or reads (ACCESS EXCLUSIVE)
 * on an existing table waits behind any running query on that table, and while it waits every later query that
 * conflicts with it queues behind it: a short DDL stalls the table for as long as the longest running query. `set
 * lock_timeout` makes it give up instead. Reported once per file (like squawk), at the first unguarded statement.
 */
import type { Statement } from '../../../core/sql/split.js';
import { transactionKind } from '../../../core/sql/transaction-control.js';
import {
  alterCmds,
  alterTarget,
  at,
  dropObjectKey,
  findNodes,
  names,
  report,
  rule,
  tableKey,
  type FileContext,
  type Node,
  type RangeVar,
} from './model.js';

export const requireLockTimeout = rule(
  'require-lock-timeout',
  'warn',
  'lock that blocks writes or reads on an existing table with no `set lock_timeout` before it in the file',
);

export const lockRules = [requireLockTimeout];

/** Postgres table lock modes, weakest first, as numbered in LockStmt.mode. */
const SHARE_UPDATE_EXCLUSIVE = 4;
const SHARE = 5;
const SHARE_ROW_EXCLUSIVE = 6;
const ACCESS_EXCLUSIVE = 8;
const LOCK_NAMES: Record<number, string> = { 5: 'SHARE', 6: 'SHARE ROW EXCLUSIVE', 7: 'EXCLUSIVE', 8: 'ACCESS EXCLUSIVE' };

/** ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE (Postgres docs, ALTER TABLE); all others take it. */
const ALTER_LOCKS: Record<string, number> = {
  AT_ValidateConstraint: SHARE_UPDATE_EXCLUSIVE,
  AT_SetStatistics: SHARE_UPDATE_EXCLUSIVE,
  AT_ClusterOn: SHARE_UPDATE_EXCLUSIVE,
  AT_DropCluster: SHARE_UPDATE_EXCLUSIVE,
  AT_SetRelOptions: SHARE_UPDATE_EXCLUSIVE,
  AT_ResetRelOptions: SHARE_UPDATE_EXCLUSIVE,
  AT_AttachPartition: SHARE_UPDATE_EXCLUSIVE,
  AT_DetachPartitionFinalize: SHARE_UPDATE_EXCLUSIVE,
  AT_EnableTrig: SHARE_ROW_EXCLUSIVE,
  AT_EnableAlwaysTrig: SHARE_ROW_EXCLUSIVE,
  AT_EnableReplicaTrig: SHARE_ROW_EXCLUSIVE,
  AT_DisableTrig: SHARE_ROW_EXCLUSIVE,
  AT_EnableTrigAll: SHARE_ROW_EXCLUSIVE,
  AT_DisableTrigAll: SHARE_ROW_EXCLUSIVE,
  AT_EnableTrigUser: SHARE_ROW_EXCLUSIVE,
  AT_DisableTrigUser: SHARE_ROW_EXCLUSIVE,
};

function alterCmdLock(cmd: Node): number {
  const c = (cmd.def as Node | undefined)?.Constraint as Node | undefined;
  if (cmd.subtype === 'AT_AddConstraint' && c?.contype === 'CONSTR_FOREIGN') return SHARE_ROW_EXCLUSIVE;
  if (cmd.subtype === 'AT_DetachPartition' && ((cmd.def as Node | undefined)?.PartitionCmd as Node | undefined)?.concurrent === true)
    return SHARE_UPDATE_EXCLUSIVE;
  return ALTER_LOCKS[String(cmd.subtype)] ?? ACCESS_EXCLUSIVE;
}

/** `schema.table` of a DROP POLICY / TRIGGER / RULE name list (`[table, name]` or `[schema, table, name]`). */
function onTableKey(obj: unknown): string | undefined {
  const items = names(((obj as Node | undefined)?.List as Node | undefined)?.items);
  if (items.length < 2) return undefined;
  const table = items[items.length - 2]!;
  return `${items.length >= 3 ? items[items.length - 3]! : 'public'}.${table}`;
}

interface Blocking {
  /** e.g. 'ALTER TABLE public.users' */
  what: string;
  /** Lock mode (SHARE and stronger). */
  mode: number;
}

/** The strongest lock the statement takes on an existing table, when it blocks writes (SHARE or stronger). */
function blockingLock(stmt: Statement, ctx: FileContext): Blocking | undefined {
  const existing = (key: string | undefined): key is string => key !== undefined && !ctx.state.isNew(key);
  const result = (what: string, mode: number): Blocking | undefined => (mode >= SHARE ? { what, mode } : undefined);
  const rels = (list: unknown) => ((list as { RangeVar?: RangeVar }[] | undefined) ?? []).map((r) => tableKey(r.RangeVar));
  switch (stmt.kind) {
    case 'AlterTableStmt': {
      const target = alterTarget(stmt);
      if (!target || !existing(target.key)) return undefined;
      return result(`ALTER TABLE ${target.key}`, Math.max(0, ...alterCmds(stmt).map(({ cmd }) => alterCmdLock(cmd))));
    }
    case 'RenameStmt': {
      const key = tableKey(stmt.ast.relation as RangeVar | undefined);
      const onTable = stmt.ast.renameType === 'OBJECT_TABLE' || stmt.ast.relationType === 'OBJECT_TABLE';
      return onTable && existing(key) ? result(`ALTER TABLE ${key} RENAME`, ACCESS_EXCLUSIVE) : undefined;
    }
    case 'AlterObjectSchemaStmt': {
      const key = tableKey(stmt.ast.relation as RangeVar | undefined);
      return stmt.ast.objectType === 'OBJECT_TABLE' && existing(key)
        ? result(`ALTER TABLE ${key} SET SCHEMA`, ACCESS_EXCLUSIVE)
        : undefined;
    }
    case 'IndexStmt': {
      const key = tableKey(stmt.ast.relation as RangeVar | undefined);
      return stmt.ast.concurrent !== true && existing(key) ? result(`CREATE INDEX on ${key}`, SHARE) : undefined;
    }
    case 'CreateTrigStmt': {
      const key = tableKey(stmt.ast.relation as RangeVar | undefined);
      return existing(key) ? result(`CREATE TRIGGER on ${key}`, SHARE_ROW_EXCLUSIVE) : undefined;
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt': {
      const key = tableKey(stmt.ast.table as RangeVar | undefined);
      return existing(key)
        ? result(`${stmt.kind === 'CreatePolicyStmt' ? 'CREATE' : 'ALTER'} POLICY on ${key}`, ACCESS_EXCLUSIVE)
        : undefined;
    }
    case 'DropStmt': {
      const objects = (stmt.ast.objects as unknown[] | undefined) ?? [];
      const type = stmt.ast.removeType;
      if (type === 'OBJECT_TABLE') {
        const hit = objects.map(dropObjectKey).find(existing);
        return hit ? result(`DROP TABLE ${hit}`, ACCESS_EXCLUSIVE) : undefined;
      }
      if (type === 'OBJECT_INDEX' && stmt.ast.concurrent !== true) {
        const hit = objects.map(dropObjectKey).find((k) => {
          const table = k === undefined ? undefined : ctx.state.indexes.get(k);
          return k !== undefined && !(table && ctx.state.isNew(table));
        });
        return hit ? result(`DROP INDEX ${hit}`, ACCESS_EXCLUSIVE) : undefined;
      }
      if (type === 'OBJECT_POLICY' || type === 'OBJECT_TRIGGER' || type === 'OBJECT_RULE') {
        const hit = objects.map(onTableKey).find(existing);
        return hit ? result(`DROP ${String(type).slice(7)} on ${hit}`, ACCESS_EXCLUSIVE) : undefined;
      }
      return undefined;
    }
    case 'TruncateStmt': {
      const hit = rels(stmt.ast.relations).find(existing);
      return hit ? result(`TRUNCATE ${hit}`, ACCESS_EXCLUSIVE) : undefined;
    }
    case 'LockStmt': {
      const hit = rels(stmt.ast.relations).find(existing);
      return hit ? result(`LOCK TABLE ${hit}`, Number(stmt.ast.mode)) : undefined;
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
    const n = Number.parseFloat(String(raw as string | number)); // A_Const: sval.sval is a string, ival.ival a number
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
  if (
    ctx.file.noTransaction &&
    ctx.lockTimeoutLocal &&
    tx &&
    tx !== 'TRANS_STMT_BEGIN' &&
    tx !== 'TRANS_STMT_START' &&
    !ctx.inTransaction
  ) {
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
  const lock = blockingLock(stmt, ctx);
  if (lock)
    ctx.unguardedLocks.push({
      stmt,
      what: `${lock.what} takes ${lock.mode === ACCESS_EXCLUSIVE || lock.mode === 7 ? 'an' : 'a'} ${LOCK_NAMES[lock.mode] ?? 'SHARE'} lock, blocking ${lock.mode === ACCESS_EXCLUSIVE ? 'reads and writes' : 'writes'}`,
    });
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
    message: `${first.what}${more > 0 ? ` (and ${more} later statement${more === 1 ? ' in this file locks an existing table' : 's in this file lock existing tables'} too)` : ''}, with no lock_timeout set: if any query holds the table, the migration waits for it, and the blocked queries queue behind the migration meanwhile`,
    remediation: ctx.file.noTransaction
      ? "start the file with `set lock_timeout = '5s';` so a blocked statement fails fast instead of stalling the table; retry the migration later"
      : "start the file with `set local lock_timeout = '5s';` (Keel runs the file in one transaction, so it ends with it): a blocked statement then fails fast and the whole file rolls back cleanly, to be retried later",
  });
}
