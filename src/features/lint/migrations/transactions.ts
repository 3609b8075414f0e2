/**
 * transaction-nesting: transaction control inside a migration. Keel runs every migration file in its own transaction
 * (unless `-- keel:no-transaction`), so a file's own BEGIN … COMMIT is redundant, and any other COMMIT / ROLLBACK
 * splits the file's work as the Supabase CLI runs it (Keel accepts it: see src/core/sql/transaction-plan.ts). In a `-- keel:no-transaction` file the file manages its own transactions;
 * there a BEGIN inside an open BEGIN, or a COMMIT with none open, is reported.
 */
import { splitSql, type Statement } from '../../../core/sql/split.js';
import { classifyTransactionControl, transactionKind } from '../../../core/sql/transaction-control.js';
import { at, report, rule, type FileContext } from './model.js';

export const transactionNesting = rule(
  'transaction-nesting',
  'warn',
  'BEGIN / COMMIT / ROLLBACK inside a migration that Keel already runs in a transaction',
);

export const transactionRules = [transactionNesting];

const OPENS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const CLOSES = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE']);

const VERBS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

function verb(stmt: Statement): string {
  return VERBS[transactionKind(stmt) ?? ''] ?? 'transaction control';
}

/** Called once per file, before its statements. */
export function checkTransactionNesting(ctx: FileContext): void {
  if (ctx.file.noTransaction) return; // checked statement by statement: see trackExplicitTransaction
  let raw: Statement[];
  try {
    raw = splitSql(ctx.file.file.text, ctx.path);
  } catch {
    return;
  }
  const { inner } = classifyTransactionControl(raw);
  for (const stmt of raw) {
    if (stmt.kind !== 'TransactionStmt') continue;
    if (inner.includes(stmt)) {
      report(ctx, transactionNesting, {
        object: ctx.path,
        objectKind: 'migration',
        location: at(ctx, stmt, undefined),
        message: `${verb(stmt)} inside a migration: the Supabase CLI commits (or undoes) the file's work at this point; Keel keeps the file in one transaction and commits here only after ALTER TYPE … ADD VALUE, when the file is no longer all-or-nothing`,
        remediation:
          'remove it and let the file commit as a whole; split the work into several migration files if parts must commit separately',
      });
    } else {
      report(ctx, transactionNesting, {
        object: ctx.path,
        objectKind: 'migration',
        location: at(ctx, stmt, undefined),
        message: `${verb(stmt)} is redundant: Keel already runs each migration file in a transaction and keeps the file's own BEGIN/COMMIT pair inside it; a runner that also wraps files would see a nested BEGIN ("there is already a transaction in progress") and commit early`,
        remediation: 'remove the BEGIN and COMMIT lines; Keel commits the file as a whole (or rolls it all back on error)',
      });
    }
  }
}

/** In a `-- keel:no-transaction` file: follows the file's own BEGIN … COMMIT (sets `ctx.inTransaction`) and reports nesting. */
export function trackExplicitTransaction(stmt: Statement, ctx: FileContext): void {
  if (!ctx.file.noTransaction) return;
  const kind = transactionKind(stmt);
  if (!kind) return;
  if (OPENS.has(kind)) {
    if (ctx.inTransaction) {
      report(ctx, transactionNesting, {
        object: ctx.path,
        objectKind: 'migration',
        location: at(ctx, stmt, undefined),
        message: `${verb(stmt)} while this file's own transaction is still open: Postgres ignores it with a warning ("there is already a transaction in progress"), so the first COMMIT ends both`,
        remediation: 'COMMIT (or ROLLBACK) the open transaction before starting another, or use SAVEPOINT for a nested unit',
      });
    }
    ctx.inTransaction = true;
  } else if (CLOSES.has(kind)) {
    if (!ctx.inTransaction) {
      report(ctx, transactionNesting, {
        object: ctx.path,
        objectKind: 'migration',
        location: at(ctx, stmt, undefined),
        message: `${verb(stmt)} with no transaction open in this -- keel:no-transaction file: it does nothing but warn ("there is no transaction in progress"), and suggests the statements before it were meant to be in one transaction`,
        remediation: 'add the matching BEGIN before the statements that belong together, or remove it',
      });
    }
    ctx.inTransaction = false;
  }
}
