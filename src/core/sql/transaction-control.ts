/**
 * Finds the transaction-control statements of a file (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, …), so the runner can drop
 * a harmless `BEGIN; … COMMIT;` wrapper and refuse or special-case anything else.
 *
 * In the libpg-query 18 AST these are all `TransactionStmt` with `kind` one of TRANS_STMT_BEGIN (BEGIN),
 * TRANS_STMT_START (START TRANSACTION), TRANS_STMT_COMMIT (COMMIT and END), TRANS_STMT_ROLLBACK (ROLLBACK and ABORT),
 * TRANS_STMT_SAVEPOINT, TRANS_STMT_RELEASE, TRANS_STMT_ROLLBACK_TO, TRANS_STMT_PREPARE, TRANS_STMT_COMMIT_PREPARED,
 * TRANS_STMT_ROLLBACK_PREPARED; `options` holds isolation level/read only/deferrable, `chain` is true for `AND CHAIN`.
 */
import type { Statement } from './split.js';

export interface TransactionControl {
  /**
   * True when the first statement is a plain BEGIN / START TRANSACTION, the last is a plain COMMIT / END (a different
   * statement), and no other transaction-control statement appears between them. A BEGIN with options (isolation
   * level, read only…) or `COMMIT AND CHAIN` does not count: dropping it would change the meaning.
   */
  wrapper: boolean;
  /** Every TransactionStmt except the wrapper pair. The pair is excluded whenever the file starts with a plain BEGIN and ends with a plain COMMIT, even if other transaction statements make `wrapper` false. */
  inner: Statement[];
}

/** The `kind` of a TransactionStmt (e.g. 'TRANS_STMT_BEGIN'), or undefined for any other statement. */
export function transactionKind(stmt: Statement): string | undefined {
  if (stmt.kind !== 'TransactionStmt') return undefined;
  const kind = stmt.ast.kind;
  return typeof kind === 'string' ? kind : undefined;
}

function isPlainBegin(stmt: Statement): boolean {
  const kind = transactionKind(stmt);
  const options = stmt.ast.options;
  return (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') && !(Array.isArray(options) && options.length > 0);
}

function isPlainCommit(stmt: Statement): boolean {
  return transactionKind(stmt) === 'TRANS_STMT_COMMIT' && stmt.ast.chain !== true;
}

/**
 * Classifies the transaction control of a file's statements.
 *
 * @example
 * classifyTransactionControl(splitSql('begin;\ncreate table t (id int);\ncommit;', 'a.sql'));
 * // { wrapper: true, inner: [] }
 * classifyTransactionControl(splitSql('create table t (id int);\ncommit;', 'b.sql'));
 * // { wrapper: false, inner: [<the COMMIT statement>] }
 */
export function classifyTransactionControl(stmts: readonly Statement[]): TransactionControl {
  const first = stmts[0];
  const last = stmts[stmts.length - 1];
  const paired = stmts.length >= 2 && first !== undefined && last !== undefined && isPlainBegin(first) && isPlainCommit(last);
  const middle = paired ? stmts.slice(1, -1) : stmts;
  const inner = middle.filter((s) => s.kind === 'TransactionStmt');
  return { wrapper: paired && inner.length === 0, inner };
}
