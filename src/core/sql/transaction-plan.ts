/**
 * How a migration file's own transaction control runs inside the transaction Keel wraps around each file, so that
 * files written for the Supabase CLI (which sends a file as one pgx batch: an implicit transaction in which the file's
 * BEGIN / COMMIT are real) run unchanged and stay all-or-nothing wherever Postgres allows it.
 *
 * Decided on the parse tree (TransactionStmt kinds), never on text, following what Postgres does with the CLI's batch
 * (statements before the first COMMIT share one transaction; a BEGIN turns it into an explicit block, statements before
 * it included; every COMMIT really commits; every ROLLBACK undoes everything since the last commit):
 * - BEGIN / START TRANSACTION sends nothing (Keel's transaction is already open). A BEGIN while one is open is ignored,
 *   as Postgres ignores it ("there is already a transaction in progress").
 * - COMMIT / END marks a commit point: the file stays one transaction, committed at its end with its history row. It
 *   differs from the CLI when a later statement fails (Keel then undoes the whole file) and in what a real commit
 *   ends: the transaction's SET LOCAL values. The one that matters in practice is the role (a block that logs in as a
 *   user with `set_config('role', 'authenticated', true)`, then statements after it that must run as the owner again,
 *   as dbdev's migrations do), so a commit point with statements after it sends `set local role none`, which puts the
 *   role back to the session's, unless the file set a session-level role before it (then the role is left alone).
 * - ROLLBACK / ABORT undoes the file back to the last commit point (or its start), as in the CLI: a savepoint is taken
 *   at that point and rolled back to.
 * - SAVEPOINT / RELEASE / ROLLBACK TO are sent as written. PREPARE TRANSACTION / COMMIT PREPARED / ROLLBACK PREPARED
 *   (two-phase commit) are refused, and so is a BEGIN never committed.
 * - The one construct that needs a real commit: `ALTER TYPE … ADD VALUE`, since Postgres refuses to use an enum value
 *   added in a transaction that has not committed (55P04 "unsafe use of new value"). A commit point that follows an
 *   ADD VALUE and has statements after it splits the file there: the parts are committed in turn, the history row with
 *   the last. Such a file is no longer atomic: as with the CLI, a failure after the split leaves the parts before it
 *   committed.
 */
import { KeelError } from '../errors.js';
import type { Statement } from './split.js';
import { transactionKind } from './transaction-control.js';

export interface TransactionPlan {
  /** Statements to send, in parts committed in turn (one part unless the file must commit inside). */
  segments: Statement[][];
  /** The COMMIT statements at which the file was split (one fewer than `segments`). */
  splits: Statement[];
  /** The file adds an enum value: later files may use it only after a commit, so it cannot share one transaction with them. */
  addsEnumValue: boolean;
  /** Notes for the user (`line:col: …`), e.g. a BEGIN option that has no effect inside Keel's transaction. */
  notes: string[];
}

/** `ALTER TYPE … ADD VALUE` (not RENAME VALUE, which needs no commit). */
export function isAddEnumValue(stmt: Statement): boolean {
  return stmt.kind === 'AlterEnumStmt' && typeof stmt.ast.newVal === 'string' && stmt.ast.oldVal === undefined;
}

/** `SET ROLE …` / `RESET ROLE` / `SET SESSION AUTHORIZATION …` at session level (not SET LOCAL). */
function setsSessionRole(stmt: Statement): boolean {
  const name = stmt.ast.name;
  return stmt.kind === 'VariableSetStmt' && (name === 'role' || name === 'session_authorization') && stmt.ast.is_local !== true;
}

const TWO_PHASE = new Set(['TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED', 'TRANS_STMT_ROLLBACK_PREPARED']);

/** A statement sent in place of the file's own transaction control, keeping its position (for messages). */
function stand(stmt: Statement, sql: string): Statement {
  return { ...stmt, sql };
}

/**
 * Plans the statements of a file that runs inside Keel's per-file transaction.
 *
 * @example
 * planTransactions(splitSql("alter type s add value 'b';\ncommit;\nupdate t set s = 'b';", 'm.sql'), 'm.sql').segments.length // 2
 */
export function planTransactions(stmts: readonly Statement[], file: string): TransactionPlan {
  const segments: Statement[][] = [[]];
  const splits: Statement[] = [];
  const notes: string[] = [];
  let current = segments[0]!;
  /** Where the statements since the last commit point start in `current`, and the savepoint taken there (if any). */
  let part = { start: 0, savepoint: undefined as string | undefined };
  let savepoints = 0;
  let openBegin: Statement | undefined;
  let addValueInPart = false;
  let sessionRole = false;
  const where = (s: Statement) => `${file}:${s.line}:${s.column}`;

  stmts.forEach((s, i) => {
    const kind = transactionKind(s);
    if (!kind) {
      if (isAddEnumValue(s)) addValueInPart = true;
      if (setsSessionRole(s)) sessionRole = true;
      current.push(s);
      return;
    }
    if (TWO_PHASE.has(kind)) {
      throw new KeelError(
        'KEEL_TRANSACTION_IN_FILE',
        `${where(s)}: two-phase commit (${s.sql.split(/\s+/).slice(0, 2).join(' ').toUpperCase()}) in a migration file`,
        {
          location: { file, line: s.line, column: s.column },
          hint: 'remove it: a migration commits through its runner (Keel or the Supabase CLI), not through a prepared transaction',
        },
      );
    }
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
      if (openBegin)
        notes.push(
          `${where(s)}: BEGIN while the file's own BEGIN is still open is ignored, as Postgres ignores it; the next COMMIT ends both`,
        );
      else if (Array.isArray(s.ast.options) && s.ast.options.length > 0) {
        notes.push(
          `${where(s)}: the options of this BEGIN (isolation level, read only, deferrable) have no effect: the file runs inside Keel's transaction`,
        );
      }
      openBegin ??= s;
      return;
    }
    if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') {
      if (kind === 'TRANS_STMT_ROLLBACK') {
        if (!part.savepoint) {
          part.savepoint = `keel_part_${++savepoints}`;
          current.splice(part.start, 0, stand(s, `savepoint ${part.savepoint}`));
        }
        current.push(stand(s, `rollback to savepoint ${part.savepoint}`));
        addValueInPart = false;
      } else if (addValueInPart && stmts.slice(i + 1).some((t) => transactionKind(t) === undefined)) {
        splits.push(s);
        current = [];
        segments.push(current);
      } else if (!sessionRole && stmts.slice(i + 1).some((t) => transactionKind(t) === undefined)) {
        current.push(stand(s, 'set local role none')); // what the real commit would end (see above)
      }
      addValueInPart = false;
      part = { start: current.length, savepoint: undefined };
      openBegin = s.ast.chain === true ? s : undefined;
      return;
    }
    current.push(s); // SAVEPOINT, RELEASE, ROLLBACK TO: as written
  });

  if (openBegin) {
    throw new KeelError('KEEL_TRANSACTION_IN_FILE', `${where(openBegin)}: this transaction is never committed (the file ends inside it)`, {
      location: { file, line: openBegin.line, column: openBegin.column },
      hint: 'add COMMIT; where the block ends (the Supabase CLI would leave the transaction open and lose it when its connection closes)',
    });
  }
  return { segments, splits, addsEnumValue: stmts.some(isAddEnumValue), notes };
}
