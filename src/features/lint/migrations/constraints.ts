/**
 * Constraints added to existing tables: CHECK and FOREIGN KEY without NOT VALID (a validating scan under a blocking
 * lock), UNIQUE and PRIMARY KEY built in place (an index build under ACCESS EXCLUSIVE).
 */
import type { Statement } from '../../../core/sql/split.js';
import { quoteIdent } from '../../../core/sql/quote.js';
import {
  afterRelation,
  alterCmds,
  alterTarget,
  at,
  report,
  rule,
  tableKey,
  tableSql,
  type FileContext,
  type Node,
  type RangeVar,
} from './model.js';

export const constraintMissingNotValid = rule(
  'constraint-missing-not-valid',
  'warn',
  'CHECK or FOREIGN KEY added to an existing table without NOT VALID (or validated in the same transaction)',
);
export const addingForeignKeyConstraint = rule(
  'adding-foreign-key-constraint',
  'warn',
  'FOREIGN KEY added to an existing table without NOT VALID: scans it while blocking writes on both tables',
);
export const disallowedUniqueConstraint = rule(
  'disallowed-unique-constraint',
  'warn',
  'UNIQUE constraint added to an existing table without USING INDEX: builds the index under ACCESS EXCLUSIVE',
);
export const addingSerialPrimaryKeyField = rule(
  'adding-serial-primary-key-field',
  'warn',
  'PRIMARY KEY added to an existing table without USING INDEX: builds the index under ACCESS EXCLUSIVE',
);

export const constraintRules = [
  constraintMissingNotValid,
  addingForeignKeyConstraint,
  disallowedUniqueConstraint,
  addingSerialPrimaryKeyField,
];

const KINDS: Record<string, string> = {
  CONSTR_CHECK: 'CHECK',
  CONSTR_FOREIGN: 'FOREIGN KEY',
  CONSTR_UNIQUE: 'UNIQUE',
  CONSTR_PRIMARY: 'PRIMARY KEY',
  CONSTR_EXCLUSION: 'EXCLUDE',
};

function describe(table: string, c: Node): { object: string; objectKind: 'constraint' | 'table'; label: string } {
  const name = typeof c.conname === 'string' ? c.conname : undefined;
  const kind = KINDS[String(c.contype)] ?? '';
  return name
    ? { object: `${table}.${name}`, objectKind: 'constraint', label: `${kind} constraint ${name} on ${table}` }
    : { object: table, objectKind: 'table', label: `an unnamed ${kind} constraint on ${table}` };
}

export function checkConstraints(stmt: Statement, ctx: FileContext): void {
  const target = alterTarget(stmt);
  if (!target) return;
  const { key: table, rel } = target;
  const tableText = tableSql(rel)!;
  const isNew = ctx.state.isNew(table);
  for (const { cmd, index } of alterCmds(stmt)) {
    if (cmd.subtype === 'AT_AddConstraint') {
      const c = ((cmd.def as Node | undefined)?.Constraint ?? {}) as Node;
      const { object, objectKind, label } = describe(table, c);
      const location = at(ctx, stmt, c.location);
      if (!isNew && c.skip_validation === true && typeof c.conname === 'string' && ctx.inTransaction)
        ctx.notValidConstraints.add(`${table}.${c.conname}`);
      if (isNew) continue;
      // Names as SQL spells them in the remediations (quoted where needed); `<name>` when the constraint has none.
      const sqlName = (suffix = '') => (typeof c.conname === 'string' ? quoteIdent(`${c.conname}${suffix}`) : `<name>${suffix}`);
      const name = sqlName();
      if ((c.contype === 'CONSTR_CHECK' || c.contype === 'CONSTR_FOREIGN') && c.skip_validation !== true) {
        report(ctx, constraintMissingNotValid, {
          object,
          objectKind,
          location,
          message: `adding ${label} checks every existing row while holding a lock that blocks writes to ${table}${c.contype === 'CONSTR_CHECK' ? ' (ACCESS EXCLUSIVE for a CHECK: reads wait too)' : ''}`,
          remediation: `add it with NOT VALID (new rows are checked at once), then \`alter table ${tableText} validate constraint ${name};\` in a later migration: VALIDATE only takes a SHARE UPDATE EXCLUSIVE lock`,
        });
      }
      if (c.contype === 'CONSTR_FOREIGN' && c.skip_validation !== true) {
        const parent = tableKey(c.pktable as RangeVar);
        const parentSql = tableSql(c.pktable as RangeVar);
        report(ctx, addingForeignKeyConstraint, {
          object,
          objectKind,
          location,
          message: `adding ${label} scans ${table} to validate it while holding SHARE ROW EXCLUSIVE locks on ${table}${parent ? ` and ${parent}` : ''}, blocking writes to both`,
          remediation: `\`alter table ${tableText} add constraint ${name} foreign key (…) references ${parentSql ?? '…'} (…) not valid;\` here, and \`alter table ${tableText} validate constraint ${name};\` in a later migration`,
        });
      }
      if (c.contype === 'CONSTR_UNIQUE' && typeof c.indexname !== 'string') {
        report(ctx, disallowedUniqueConstraint, {
          object,
          objectKind,
          location,
          message: `adding ${label} builds its index while holding an ACCESS EXCLUSIVE lock on ${table}, blocking reads and writes for the whole build`,
          remediation: `in a \`-- keel:no-transaction\` migration: \`create unique index concurrently ${sqlName('_idx')} on ${tableText} (…);\`, then \`alter table ${tableText} add constraint ${name} unique using index ${sqlName('_idx')};\``,
        });
      }
      if (c.contype === 'CONSTR_PRIMARY' && typeof c.indexname !== 'string') {
        report(ctx, addingSerialPrimaryKeyField, {
          object,
          objectKind,
          location,
          message: `adding a PRIMARY KEY to ${table} builds its index (and checks NOT NULL) while holding an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole build`,
          remediation: `in a \`-- keel:no-transaction\` migration: \`create unique index concurrently ${quoteIdent(`${rel.relname!}_pkey_idx`)} on ${tableText} (…);\`, then \`alter table ${tableText} add constraint ${quoteIdent(`${rel.relname!}_pkey`)} primary key using index ${quoteIdent(`${rel.relname!}_pkey_idx`)};\``,
        });
      }
    } else if (cmd.subtype === 'AT_AddColumn' && !isNew) {
      const def = (cmd.def as Node | undefined)?.ColumnDef as Node | undefined;
      const column = String(def?.colname);
      for (const c of ((def?.constraints as Node[] | undefined) ?? []).map((n) => (n.Constraint ?? {}) as Node)) {
        const location = at(ctx, stmt, c.location);
        if (c.contype === 'CONSTR_FOREIGN') {
          const parent = tableKey(c.pktable as RangeVar);
          const parentSql = tableSql(c.pktable as RangeVar);
          report(ctx, addingForeignKeyConstraint, {
            object: `${table}.${column}`,
            objectKind: 'column',
            location,
            message: `adding column ${table}.${column} with REFERENCES validates the foreign key by scanning ${table} while holding SHARE ROW EXCLUSIVE locks on ${table}${parent ? ` and ${parent}` : ''}, blocking writes to both`,
            remediation: `add the column without REFERENCES, then \`alter table ${tableText} add constraint ${quoteIdent(`${column}_fkey`)} foreign key (${quoteIdent(column)}) references ${parentSql ?? '…'} not valid;\` and VALIDATE it in a later migration`,
          });
        } else if (c.contype === 'CONSTR_UNIQUE') {
          report(ctx, disallowedUniqueConstraint, {
            object: `${table}.${column}`,
            objectKind: 'column',
            location,
            message: `adding column ${table}.${column} with UNIQUE builds the index while holding an ACCESS EXCLUSIVE lock on ${table}, blocking reads and writes for the whole build`,
            remediation: `add the column without UNIQUE; in a \`-- keel:no-transaction\` migration create the unique index CONCURRENTLY, then \`add constraint … unique using index …\``,
          });
        } else if (c.contype === 'CONSTR_PRIMARY') {
          report(ctx, addingSerialPrimaryKeyField, {
            object: `${table}.${column}`,
            objectKind: 'column',
            location,
            message: `adding column ${table}.${column} as PRIMARY KEY builds the key's index while holding an ACCESS EXCLUSIVE lock on ${table}, blocking reads and writes for the whole build`,
            remediation: `add the column without PRIMARY KEY, fill it, create a unique index CONCURRENTLY (in a \`-- keel:no-transaction\` migration), then \`add constraint … primary key using index …\``,
          });
        }
      }
    } else if (cmd.subtype === 'AT_ValidateConstraint' && ctx.notValidConstraints.has(`${table}.${String(cmd.name)}`)) {
      report(ctx, constraintMissingNotValid, {
        object: `${table}.${String(cmd.name)}`,
        objectKind: 'constraint',
        location: afterRelation(ctx, stmt, rel, index),
        message: `constraint ${String(cmd.name)} is added NOT VALID and validated in the same migration, which runs in one transaction: the lock taken to add it (blocking at least writes) is held until the commit, through the validating scan, so NOT VALID gains nothing`,
        remediation: `move \`alter table ${tableText} validate constraint ${quoteIdent(String(cmd.name))};\` to a later migration`,
      });
    }
  }
}
