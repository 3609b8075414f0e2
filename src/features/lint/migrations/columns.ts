/**
 * Column changes on existing tables: required and rewriting columns, type changes, SET NOT NULL, drops and renames.
 * None of these fire on a table created by the pending migrations (it is empty and nobody reads it yet).
 */
import type { Statement } from '../../../core/sql/split.js';
import { quoteIdent } from '../../../core/sql/quote.js';
import {
  afterRelation,
  alterCmds,
  alterTarget,
  at,
  findNodes,
  names,
  report,
  rule,
  type FileContext,
  type Node,
  type RangeVar,
  tableKey,
  tableSql,
} from './model.js';
import { isSerialType } from './types.js';

export const addingRequiredField = rule(
  'adding-required-field',
  'error',
  'NOT NULL column without a default added to an existing table: fails on any existing row',
);
export const addingFieldWithDefault = rule(
  'adding-field-with-default',
  'warn',
  'column with a volatile default (or identity / stored generated / serial) added to an existing table: rewrites the table under ACCESS EXCLUSIVE',
);
export const addingNotNullableField = rule(
  'adding-not-nullable-field',
  'warn',
  'SET NOT NULL on an existing table: scans the whole table under ACCESS EXCLUSIVE',
);
export const changingColumnType = rule(
  'changing-column-type',
  'warn',
  'ALTER COLUMN … TYPE on an existing table: ACCESS EXCLUSIVE lock, usually a full rewrite, and clients may break',
);
export const banDropColumn = rule(
  'ban-drop-column',
  'warn',
  'DROP COLUMN on an existing table: breaks clients that still read or write it',
);
export const renamingColumn = rule('renaming-column', 'warn', 'RENAME COLUMN on an existing table: breaks clients that use the old name');

export const columnRules = [
  addingRequiredField,
  addingFieldWithDefault,
  addingNotNullableField,
  changingColumnType,
  banDropColumn,
  renamingColumn,
];

/** Functions whose every call returns a new value: as a column default each existing row gets its own, so Postgres rewrites the table. */
const VOLATILE = new Set([
  'random',
  'random_normal',
  'setseed',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'gen_random_bytes',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'currval',
  'lastval',
  'setval',
  'txid_current',
  'pg_current_xact_id',
]);

/** Built-in immutable or stable functions common in defaults: evaluated once for ALTER TABLE … ADD COLUMN, no rewrite (PG 11+). */
const NOT_VOLATILE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_setting',
  'current_database',
  'current_schema',
  'to_timestamp',
  'to_date',
  'make_date',
  'make_time',
  'make_timestamp',
  'make_timestamptz',
  'make_interval',
  'date_trunc',
  'timezone',
  'lower',
  'upper',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'concat',
  'concat_ws',
  'md5',
  'length',
  'char_length',
  'abs',
  'round',
  'floor',
  'ceil',
  'left',
  'right',
  'substr',
  'replace',
  'jsonb_build_object',
  'jsonb_build_array',
  'json_build_object',
  'json_build_array',
  'to_jsonb',
  'to_json',
  'array_fill',
  'int4range',
  'int8range',
  'tstzrange',
  'daterange',
  'numrange',
  'to_tsvector',
  'inet',
  'point',
]);

const EXTENSION_SCHEMAS = new Set(['pg_catalog', 'extensions', 'public']);

/** Why a default expression makes Postgres rewrite the table, or undefined when it is evaluated once (constant, immutable, stable). */
function volatileCall(expr: unknown, ctx: FileContext): { fn: string; known: boolean } | undefined {
  for (const call of findNodes(expr, 'FuncCall')) {
    const n = names(call.funcname);
    const fn = n[n.length - 1];
    if (!fn) continue;
    const schema = n.length >= 2 ? n[n.length - 2]! : 'public';
    const declared =
      ctx.state.functions.get(`${schema}.${fn}`) ?? (n.length === 1 ? ctx.state.functions.get(`pg_catalog.${fn}`) : undefined);
    if (declared) {
      if (declared === 'volatile') return { fn, known: true };
      continue;
    }
    if (!EXTENSION_SCHEMAS.has(schema) && n.length >= 2) return { fn: n.join('.'), known: false };
    if (VOLATILE.has(fn)) return { fn, known: true };
    if (!NOT_VOLATILE.has(fn)) return { fn: n.join('.'), known: false };
  }
  return undefined;
}

function constraintsOf(def: Node | undefined): Node[] {
  return ((def?.constraints as Node[] | undefined) ?? []).map((c) => (c.Constraint ?? {}) as Node);
}

export function checkColumns(stmt: Statement, ctx: FileContext): void {
  if (stmt.kind === 'RenameStmt' && stmt.ast.renameType === 'OBJECT_COLUMN' && stmt.ast.relationType === 'OBJECT_TABLE') {
    const rel = stmt.ast.relation as RangeVar | undefined;
    const table = tableKey(rel);
    if (table && !ctx.state.isNew(table) && !ctx.state.addedColumns.has(`${table}.${String(stmt.ast.subname)}`)) {
      const from = String(stmt.ast.subname);
      const to = String(stmt.ast.newname);
      report(ctx, renamingColumn, {
        object: `${table}.${from}`,
        objectKind: 'column',
        location: afterRelation(ctx, stmt, rel),
        message: `renaming column ${table}.${from} to ${to}: running clients (and views, functions and policies written against the old name in application code) fail as soon as this commits`,
        remediation: `add the new column ${to}, write both (trigger) and backfill, switch the clients to ${to}, then drop ${from} in a later migration; or keep the old name`,
      });
    }
    return;
  }
  const target = alterTarget(stmt);
  if (!target || ctx.state.isNew(target.key)) return;
  const { key: table, rel } = target;
  for (const { cmd, index } of alterCmds(stmt)) {
    const def = (cmd.def as Node | undefined)?.ColumnDef as Node | undefined;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const column = `${table}.${String(def?.colname)}`;
        const cons = constraintsOf(def);
        // `default null` is no default at all.
        const dflt = cons.find(
          (c) => c.contype === 'CONSTR_DEFAULT' && ((c.raw_expr as Node | undefined)?.A_Const as Node | undefined)?.isnull !== true,
        );
        const identity = cons.find((c) => c.contype === 'CONSTR_IDENTITY');
        const generated = cons.find((c) => c.contype === 'CONSTR_GENERATED');
        const serial = isSerialType(def?.typeName as Node | undefined);
        const notNull = cons.find((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
        if (notNull && !dflt && !identity && !generated && !serial) {
          report(ctx, addingRequiredField, {
            object: column,
            objectKind: 'column',
            location: at(ctx, stmt, def?.location),
            message: `adding NOT NULL column ${column} without a default to existing table ${table}: it fails with "column contains null values" as soon as the table has a row (it only passes where the table is empty)`,
            remediation: `give it a constant default (instant on PG 11+): \`add column ${quoteIdent(String(def?.colname))} … not null default <value>\`; or add it nullable, backfill, \`add constraint … check (${quoteIdent(String(def?.colname))} is not null) not valid\`, VALIDATE it in a later migration, then SET NOT NULL`,
          });
        }
        let why: string | undefined;
        let loc: unknown = def?.location;
        const v = dflt ? volatileCall(dflt.raw_expr, ctx) : undefined;
        if (v?.known) {
          why = `its default ${v.fn}() is volatile, so every existing row needs its own value`;
          loc = dflt?.location;
        } else if (v) {
          why = `its default calls ${v.fn}(), whose volatility Keel cannot see in the migrations (a volatile default means every existing row needs its own value)`;
          loc = dflt?.location;
        } else if (identity) {
          why = 'an identity column fills every existing row from its sequence';
          loc = identity.location;
        } else if (generated && generated.generated_kind !== 'v') {
          why = 'a stored generated column is computed for every existing row';
          loc = generated.location;
        } else if (serial) {
          why = 'a serial column fills every existing row from its sequence (nextval() is volatile)';
          loc = (def?.typeName as Node | undefined)?.location;
        }
        if (why) {
          report(ctx, addingFieldWithDefault, {
            object: column,
            objectKind: 'column',
            location: at(ctx, stmt, loc),
            message: `adding column ${column} rewrites all of ${table}: ${why}; the rewrite holds an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes`,
            remediation: `add the column without that default (nullable or with a constant default), set the default for new rows with \`alter table ${tableSql(rel)} alter column ${quoteIdent(String(def?.colname))} set default …\`, and backfill existing rows in batches`,
          });
        }
        break;
      }
      case 'AT_SetNotNull':
        report(ctx, addingNotNullableField, {
          object: `${table}.${String(cmd.name)}`,
          objectKind: 'column',
          location: afterRelation(ctx, stmt, rel, index),
          message: `SET NOT NULL on ${table}.${String(cmd.name)} scans the whole table to check for nulls while holding an ACCESS EXCLUSIVE lock, blocking reads and writes`,
          remediation: `add \`constraint ${quoteIdent(`${String(cmd.name)}_not_null`)} check (${quoteIdent(String(cmd.name))} is not null) not valid\`, VALIDATE it in a later migration (no blocking lock), then SET NOT NULL (PG 12+ skips the scan thanks to the check) and drop the check`,
        });
        break;
      case 'AT_AlterColumnType':
        report(ctx, changingColumnType, {
          object: `${table}.${String(cmd.name)}`,
          objectKind: 'column',
          location: at(ctx, stmt, def?.location),
          message: `changing the type of ${table}.${String(cmd.name)} takes an ACCESS EXCLUSIVE lock on ${table} and, unless the types are binary-compatible, rewrites the table and its indexes while reads and writes wait; clients reading the column may also break`,
          remediation: `add a new column of the new type, backfill it in batches (and keep it in sync with a trigger), switch the clients, then drop the old column in a later migration`,
        });
        break;
      case 'AT_DropColumn':
        if (ctx.state.addedColumns.has(`${table}.${String(cmd.name)}`)) break; // added by a pending file: no deployed client uses it
        report(ctx, banDropColumn, {
          object: `${table}.${String(cmd.name)}`,
          objectKind: 'column',
          location: afterRelation(ctx, stmt, rel, index),
          message: `dropping column ${table}.${String(cmd.name)}: clients (and \`select *\` consumers, generated types) that still use it fail once this commits, and the data is gone`,
          remediation: `first deploy clients that no longer use ${String(cmd.name)}, then drop it in a later migration; suppress this finding with the reason once that is done`,
        });
        break;
    }
  }
}
