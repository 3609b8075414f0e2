/**
 * Column type choices (squawk's prefer-* rules). They apply to new tables as well as existing ones: the point is the
 * cost of changing the type later, once the table is big.
 */
import type { Statement } from '../../../core/sql/split.js';
import { quoteIdent } from '../../../core/sql/quote.js';
import { alterCmds, at, names, report, rule, tableKey, type FileContext, type Node, type RangeVar } from './model.js';

export const preferTextField = rule(
  'prefer-text-field',
  'warn',
  'varchar(n) column: changing the limit later takes an ACCESS EXCLUSIVE lock; use text with a CHECK',
);
export const preferTimestampTz = rule(
  'prefer-timestamp-tz',
  'warn',
  'timestamp without time zone column: the UTC offset is dropped; use timestamptz',
);
export const preferIdentity = rule('prefer-identity', 'warn', 'serial / bigserial column: use an identity column instead');

export const typeRules = [preferTextField, preferTimestampTz, preferIdentity];

const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** The type's name without `pg_catalog.` (e.g. 'varchar', 'timestamp', 'bigserial'), or undefined for a user type in another schema. */
export function builtinTypeName(typeName: Node | undefined): string | undefined {
  const n = names(typeName?.names);
  if (n.length === 1) return n[0];
  if (n.length === 2 && n[0] === 'pg_catalog') return n[1];
  return undefined;
}

export function isSerialType(typeName: Node | undefined): boolean {
  const n = names(typeName?.names);
  return n.length === 1 && SERIAL.has(n[0]!);
}

/** Column definitions a statement declares or retypes: CREATE TABLE columns, ADD COLUMN, ALTER COLUMN … TYPE. */
function columnTypes(stmt: Statement): { table: string; column: string; typeName: Node; location: unknown }[] {
  const out: { table: string; column: string; typeName: Node; location: unknown }[] = [];
  const push = (table: string | undefined, column: unknown, def: Node | undefined) => {
    const typeName = def?.typeName as Node | undefined;
    if (table && typeName && typeof column === 'string') out.push({ table, column, typeName, location: typeName.location });
  };
  if (stmt.kind === 'CreateStmt') {
    const table = tableKey(stmt.ast.relation as RangeVar);
    for (const el of (stmt.ast.tableElts as Node[] | undefined) ?? []) {
      const def = el.ColumnDef as Node | undefined;
      push(table, def?.colname, def);
    }
  }
  const table = tableKey(stmt.ast.relation as RangeVar);
  for (const { cmd } of alterCmds(stmt)) {
    const def = (cmd.def as Node | undefined)?.ColumnDef as Node | undefined;
    if (cmd.subtype === 'AT_AddColumn') push(table, def?.colname, def);
    if (cmd.subtype === 'AT_AlterColumnType') push(table, cmd.name, def);
  }
  return out;
}

export function checkTypes(stmt: Statement, ctx: FileContext): void {
  for (const c of columnTypes(stmt)) {
    const name = builtinTypeName(c.typeName);
    const object = `${c.table}.${c.column}`;
    const col = quoteIdent(c.column);
    const location = at(ctx, stmt, c.location);
    const mods = c.typeName.typmods;
    if (name === 'varchar' && Array.isArray(mods) && mods.length > 0) {
      report(ctx, preferTextField, {
        object,
        objectKind: 'column',
        location,
        message: `column ${object} is varchar(n): raising or lowering the limit later is an ALTER COLUMN TYPE, which takes an ACCESS EXCLUSIVE lock on ${c.table} (blocking reads and writes) and can rewrite the table`,
        remediation: `declare it \`text\` with a length check you can swap without a rewrite: \`${col} text check (char_length(${col}) <= n)\` (add a new check NOT VALID, then VALIDATE it, to change the limit)`,
      });
    }
    if (name === 'timestamp') {
      report(ctx, preferTimestampTz, {
        object,
        objectKind: 'column',
        location,
        message: `column ${object} is timestamp without time zone: Postgres drops the UTC offset on input, so '…+02' and '…-06' for different instants store the same value`,
        remediation: `use \`timestamptz\` (timestamp with time zone): \`${col} timestamptz\``,
      });
    }
    if (isSerialType(c.typeName)) {
      const typ = names(c.typeName.names)[0]!;
      report(ctx, preferIdentity, {
        object,
        objectKind: 'column',
        location,
        message: `column ${object} is ${typ}: the implicit sequence has its own owner and grants, is not copied by CREATE TABLE … LIKE, and accepts explicit values that later collide`,
        remediation: `use an identity column: \`${col} ${typ.startsWith('big') || typ === 'serial8' ? 'bigint' : typ.startsWith('small') || typ === 'serial2' ? 'smallint' : 'integer'} generated always as identity\``,
      });
    }
  }
}
