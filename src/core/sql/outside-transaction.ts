/**
 * How a `-- keel:no-transaction` file runs: each statement commits on its own, as in an autocommit session, except the
 * statements between the file's own BEGIN and COMMIT, which commit together. Keel sends each such unit in a transaction
 * of its own that starts with the same per-transaction settings as every other file (the shim's search_path, with
 * `extensions` on it), so `select uuid_generate_v4()` works unqualified here too and nothing depends on a session
 * surviving between statements (a transaction-mode pooler may hand each transaction another connection).
 *
 * Statements Postgres refuses inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …) are sent bare; they see
 * the session's own search_path, so qualify names in them (`extensions.gin_trgm_ops`).
 */
import { KeelError } from '../errors.js';
import type { Statement } from './split.js';
import { transactionKind } from './transaction-control.js';

export interface OutsideUnit {
  statements: Statement[];
  /** Sent on its own, outside any transaction. */
  bare: boolean;
  /** The file's own block ended with ROLLBACK: run it, then undo it. */
  rollback?: boolean;
}

const NEVER_IN_BLOCK = new Set([
  'AlterSystemStmt',
  'CreatedbStmt',
  'DropdbStmt',
  'CreateTableSpaceStmt',
  'DropTableSpaceStmt',
  'CreateSubscriptionStmt',
  'DropSubscriptionStmt',
]);

/**
 * True for statements Postgres refuses inside a transaction block (`PreventInTransactionBlock`), read from the parse
 * tree: CREATE / DROP / REINDEX … CONCURRENTLY, DETACH PARTITION … CONCURRENTLY, VACUUM, CLUSTER of every table,
 * REINDEX SYSTEM / DATABASE, ALTER SYSTEM, CREATE / DROP DATABASE and TABLESPACE, CREATE / DROP SUBSCRIPTION.
 */
export function cannotRunInTransaction(stmt: Statement): boolean {
  const ast = stmt.ast;
  if (NEVER_IN_BLOCK.has(stmt.kind)) return true;
  switch (stmt.kind) {
    case 'IndexStmt':
    case 'DropStmt':
      return ast.concurrent === true;
    case 'VacuumStmt':
      return ast.is_vacuumcmd === true;
    case 'ClusterStmt':
      return ast.relation === undefined;
    case 'ReindexStmt':
      return (
        ast.kind === 'REINDEX_OBJECT_SYSTEM' ||
        ast.kind === 'REINDEX_OBJECT_DATABASE' ||
        (Array.isArray(ast.params) && ast.params.some((p) => (p as { DefElem?: { defname?: string } }).DefElem?.defname === 'concurrently'))
      );
    case 'AlterTableStmt':
      return (
        Array.isArray(ast.cmds) &&
        ast.cmds.some((c) => {
          const cmd = (c as { AlterTableCmd?: { subtype?: string; def?: { PartitionCmd?: { concurrent?: boolean } } } }).AlterTableCmd;
          return cmd?.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent === true;
        })
      );
    default:
      return false;
  }
}

/**
 * Groups a no-transaction file's statements into units (see the module comment). A COMMIT or ROLLBACK with no BEGIN
 * open does nothing (Postgres only warns); a BEGIN inside an open one is ignored; a BEGIN never committed is refused.
 *
 * @example
 * planOutsideTransaction(splitSql('create index concurrently i on t (a);\nbegin;\nupdate t set a = 1;\ncommit;', 'm.sql'), 'm.sql')
 * // [{ statements: [create index …], bare: true }, { statements: [update …], bare: false }]
 */
export function planOutsideTransaction(stmts: readonly Statement[], file: string): OutsideUnit[] {
  const units: OutsideUnit[] = [];
  let block: { begin: Statement; unit: OutsideUnit } | undefined;
  for (const s of stmts) {
    const kind = transactionKind(s);
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
      if (!block) block = { begin: s, unit: { statements: [], bare: false } };
      continue;
    }
    if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') {
      if (!block) continue;
      if (kind === 'TRANS_STMT_ROLLBACK') block.unit.rollback = true;
      units.push(block.unit);
      block = s.ast.chain === true ? { begin: s, unit: { statements: [], bare: false } } : undefined;
      continue;
    }
    if (block) block.unit.statements.push(s);
    else units.push({ statements: [s], bare: cannotRunInTransaction(s) });
  }
  if (block) {
    const b = block.begin;
    throw new KeelError(
      'KEEL_TRANSACTION_IN_FILE',
      `${file}:${b.line}:${b.column}: this transaction is never committed (the file ends inside it)`,
      {
        location: { file, line: b.line, column: b.column },
        hint: 'add COMMIT; where the block ends',
      },
    );
  }
  return units;
}
