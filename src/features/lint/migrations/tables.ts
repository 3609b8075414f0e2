/**
 * Whole-table changes: dropping, renaming or moving an existing table, TRUNCATE … CASCADE and DROP DATABASE.
 */
import type { Statement } from '../../../core/sql/split.js';
import { qualified } from '../../../core/sql/quote.js';
import { at, dropObjectKey, report, rule, tableKey, tableSql, type FileContext, type RangeVar } from './model.js';

export const banDropTable = rule('ban-drop-table', 'warn', 'DROP TABLE of an existing table: breaks clients and loses the data');
export const renamingTable = rule(
  'renaming-table',
  'warn',
  'RENAME / SET SCHEMA of an existing table: breaks clients that use the old name',
);
export const banTruncateCascade = rule(
  'ban-truncate-cascade',
  'error',
  'TRUNCATE … CASCADE: also empties every table that references it, recursively',
);
export const banDropDatabase = rule('ban-drop-database', 'error', 'DROP DATABASE in a migration');

export const tableRules = [banDropTable, renamingTable, banTruncateCascade, banDropDatabase];

export function checkTables(stmt: Statement, ctx: FileContext): void {
  switch (stmt.kind) {
    case 'DropStmt': {
      if (stmt.ast.removeType !== 'OBJECT_TABLE') return;
      for (const obj of (stmt.ast.objects as unknown[] | undefined) ?? []) {
        const key = dropObjectKey(obj);
        if (!key || ctx.state.isNew(key)) continue;
        report(ctx, banDropTable, {
          object: key,
          objectKind: 'table',
          location: at(ctx, stmt, undefined),
          message: `dropping existing table ${key}: its data is gone and clients still using it fail once this commits${stmt.ast.behavior === 'DROP_CASCADE' ? '; CASCADE also drops the views and foreign keys that depend on it' : ''}`,
          remediation: `first deploy clients that no longer use ${key} (and back up the data if it may be needed), then drop it in a later migration; suppress this finding with the reason once that is done`,
        });
      }
      return;
    }
    case 'RenameStmt': {
      if (stmt.ast.renameType !== 'OBJECT_TABLE') return;
      const rel = stmt.ast.relation as RangeVar | undefined;
      const key = tableKey(rel);
      if (!key || ctx.state.isNew(key)) return;
      const to = `${rel?.schemaname ?? 'public'}.${String(stmt.ast.newname)}`;
      const toSql = qualified(rel?.schemaname ?? 'public', String(stmt.ast.newname));
      report(ctx, renamingTable, {
        object: key,
        objectKind: 'table',
        location: at(ctx, stmt, rel?.location),
        message: `renaming existing table ${key} to ${to}: running clients that query ${key} fail as soon as this commits`,
        remediation: `keep the old name working during the switch: rename, then \`create view ${tableSql(rel)} as select * from ${toSql};\` (simple views are updatable) until every client uses ${to}, and drop the view later`,
      });
      return;
    }
    case 'AlterObjectSchemaStmt': {
      if (stmt.ast.objectType !== 'OBJECT_TABLE') return;
      const rel = stmt.ast.relation as RangeVar | undefined;
      const key = tableKey(rel);
      if (!key || ctx.state.isNew(key)) return;
      const to = `${String(stmt.ast.newschema)}.${rel?.relname ?? ''}`;
      const toSql = qualified(String(stmt.ast.newschema), rel?.relname ?? '');
      report(ctx, renamingTable, {
        object: key,
        objectKind: 'table',
        location: at(ctx, stmt, rel?.location),
        message: `moving existing table ${key} to schema ${String(stmt.ast.newschema)} renames it to ${to}: clients that query ${key} fail as soon as this commits`,
        remediation: `leave a view \`${tableSql(rel)}\` selecting from ${toSql} until every client uses the new name`,
      });
      return;
    }
    case 'TruncateStmt': {
      if (stmt.ast.behavior !== 'DROP_CASCADE') return;
      const rels = ((stmt.ast.relations as { RangeVar?: RangeVar }[] | undefined) ?? []).map((r) => tableKey(r.RangeVar)).filter(Boolean);
      report(ctx, banTruncateCascade, {
        object: rels[0] ?? ctx.path,
        objectKind: rels[0] ? 'table' : 'migration',
        location: at(ctx, stmt, undefined),
        message: `TRUNCATE ${rels.join(', ')} CASCADE also empties every table with a foreign key to ${rels.length === 1 ? 'it' : 'them'}, and the tables referencing those, recursively — including tables the migration never names`,
        remediation:
          'drop CASCADE and list every table to empty explicitly: `truncate a, b, c;` (Postgres refuses if a referencing table is missing from the list, which is the point)',
      });
      return;
    }
    case 'DropdbStmt':
      report(ctx, banDropDatabase, {
        object: ctx.path,
        objectKind: 'migration',
        location: at(ctx, stmt, undefined),
        message: `DROP DATABASE ${String(stmt.ast.dbname)} in a migration destroys a whole database (and cannot run inside the transaction Keel wraps migrations in)`,
        remediation: 'remove it from the migration; drop databases by hand, deliberately',
      });
      return;
  }
}
