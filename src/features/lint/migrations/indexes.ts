/**
 * Index builds and drops: plain CREATE / DROP INDEX lock an existing table for the whole operation; CONCURRENTLY
 * avoids that but cannot run inside a transaction, and Keel runs every migration file in one unless the file starts
 * with `-- keel:no-transaction`.
 */
import type { Statement } from '../../../core/sql/split.js';
import { quoteIdent } from '../../../core/sql/quote.js';
import { at, dropObjectKey, dropObjectSql, report, rule, tableKey, tableSql, type FileContext, type Node, type RangeVar } from './model.js';

export const requireConcurrentIndexCreation = rule(
  'require-concurrent-index-creation',
  'warn',
  'CREATE INDEX without CONCURRENTLY on an existing table: blocks writes for the whole build',
);
export const requireConcurrentIndexDeletion = rule(
  'require-concurrent-index-deletion',
  'warn',
  'DROP INDEX without CONCURRENTLY on an existing table: ACCESS EXCLUSIVE lock on the table',
);
export const banConcurrentIndexCreationInTransaction = rule(
  'ban-concurrent-index-creation-in-transaction',
  'error',
  'CREATE / DROP / REINDEX … CONCURRENTLY in a migration Keel runs in a transaction: fails at run time',
);

export const indexRules = [requireConcurrentIndexCreation, requireConcurrentIndexDeletion, banConcurrentIndexCreationInTransaction];

const NO_TX_HINT =
  'move it to its own migration file whose first line is `-- keel:no-transaction` (Keel then runs that file statement by statement, outside a transaction), with no BEGIN around it';

/** Why the statement is in a transaction block. */
function inWhat(ctx: FileContext): string {
  return ctx.file.noTransaction
    ? "it sits between this file's own BEGIN and COMMIT"
    : 'Keel runs each migration file in one transaction (the file has no `-- keel:no-transaction`)';
}

function isConcurrentReindex(stmt: Statement): boolean {
  return ((stmt.ast.params as Node[] | undefined) ?? []).some((p) => (p.DefElem as Node | undefined)?.defname === 'concurrently');
}

export function checkIndexes(stmt: Statement, ctx: FileContext): void {
  if (stmt.kind === 'IndexStmt') {
    const rel = stmt.ast.relation as RangeVar | undefined;
    const table = tableKey(rel);
    const name = typeof stmt.ast.idxname === 'string' ? stmt.ast.idxname : undefined;
    const label = name ? `index ${name} on ${table}` : `an index on ${table}`;
    const object = name && rel ? `${rel.schemaname ?? 'public'}.${name}` : (table ?? ctx.path);
    const objectKind = name ? 'index' : 'table';
    const location = at(ctx, stmt, undefined);
    if (stmt.ast.concurrent === true) {
      if (ctx.inTransaction) {
        report(ctx, banConcurrentIndexCreationInTransaction, {
          object,
          objectKind,
          location,
          message: `CREATE INDEX CONCURRENTLY (${label}) cannot run inside a transaction block, and ${inWhat(ctx)}: the migration fails with "CREATE INDEX CONCURRENTLY cannot run inside a transaction block"`,
          remediation: NO_TX_HINT,
        });
      }
    } else if (table && !ctx.state.isNew(table)) {
      report(ctx, requireConcurrentIndexCreation, {
        object,
        objectKind,
        location,
        message: `building ${label} without CONCURRENTLY holds a SHARE lock on existing table ${table} for the whole build: inserts, updates and deletes wait until it finishes`,
        remediation: `\`create index concurrently if not exists ${name ? quoteIdent(name) : '<name>'} on ${tableSql(rel)!} (…);\` — ${NO_TX_HINT}`,
      });
    }
    return;
  }
  if (stmt.kind === 'DropStmt' && stmt.ast.removeType === 'OBJECT_INDEX') {
    const concurrent = stmt.ast.concurrent === true;
    for (const obj of (stmt.ast.objects as unknown[] | undefined) ?? []) {
      const key = dropObjectKey(obj);
      if (!key) continue;
      const table = ctx.state.indexes.get(key);
      const location = at(ctx, stmt, undefined);
      if (concurrent) {
        if (ctx.inTransaction) {
          report(ctx, banConcurrentIndexCreationInTransaction, {
            object: key,
            objectKind: 'index',
            location,
            message: `DROP INDEX CONCURRENTLY (${key}) cannot run inside a transaction block, and ${inWhat(ctx)}: the migration fails`,
            remediation: NO_TX_HINT,
          });
        }
      } else if (!(table && ctx.state.isNew(table))) {
        report(ctx, requireConcurrentIndexDeletion, {
          object: key,
          objectKind: 'index',
          location,
          message: `dropping index ${key} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on ${table ?? 'its table'}, blocking reads and writes (and queueing behind any long-running query on it)`,
          remediation: `\`drop index concurrently if exists ${dropObjectSql(obj)!};\` — ${NO_TX_HINT}`,
        });
      }
    }
    return;
  }
  if (stmt.kind === 'ReindexStmt' && isConcurrentReindex(stmt) && ctx.inTransaction) {
    const rel = stmt.ast.relation as RangeVar | undefined;
    report(ctx, banConcurrentIndexCreationInTransaction, {
      object: tableKey(rel) ?? ctx.path,
      objectKind: stmt.ast.kind === 'REINDEX_OBJECT_INDEX' ? 'index' : 'table',
      location: at(ctx, stmt, undefined),
      message: `REINDEX CONCURRENTLY cannot run inside a transaction block, and ${inWhat(ctx)}: the migration fails`,
      remediation: NO_TX_HINT,
    });
  }
}
