/**
 * Seed conventions about tables (seed 003's principles, seed 000's SQL conventions): UUID primary keys, created_at
 * and updated_at timestamptz columns, a BEFORE UPDATE trigger that maintains updated_at, and select policies that hide
 * soft-deleted rows.
 */
import type { Catalog, Policy, Table, Trigger } from '../../../core/catalog/index.js';
import { PROTECTED_SCHEMAS } from '../../migrate/reset.js';
import type { LintContext } from '../context.js';
import type { Finding, RuleInfo } from '../finding.js';
import { nodeOf, names, stringValue } from '../sql-rules/ast.js';
import { parseExpression, requiresNull } from '../sql-rules/expr.js';
import { readRoutineBody } from '../sql-rules/function-body.js';
import { parseSql } from '../../../core/sql/parser.js';
import { qualified, quoteIdent } from '../../../core/sql/quote.js';

export const TABLE_CONVENTIONS: RuleInfo[] = [
  {
    id: 'uuid_primary_key',
    level: 'warn',
    category: 'convention',
    convention: true,
    summary:
      'A primary key that is not uuid (seed 003: UUID keys prevent enumeration); a composite key with a non-uuid column is reported at info.',
  },
  {
    id: 'timestamp_columns',
    level: 'warn',
    category: 'convention',
    convention: true,
    summary: 'A table without created_at and updated_at timestamptz columns.',
  },
  {
    id: 'updated_at_trigger',
    level: 'warn',
    category: 'convention',
    convention: true,
    summary: 'A table with updated_at but no BEFORE UPDATE row trigger that sets it.',
  },
  {
    id: 'soft_delete_select_policy',
    level: 'warn',
    category: 'convention',
    convention: true,
    summary:
      'A table with deleted_at whose select policies let soft-deleted rows through (no `deleted_at IS NULL` on every permissive path).',
  },
];

/** The project's tables in exposed schemas (partitions left out: their parent carries the conventions). */
export function conventionTables(ctx: LintContext): Table[] {
  return ctx.catalog.tables.filter(
    (t) => ctx.exposedSchemas.includes(t.schema) && !PROTECTED_SCHEMAS.includes(t.schema) && t.partitionOf === null,
  );
}

function tableBase(t: Table): Pick<Finding, 'object' | 'objectKind' | 'source'> {
  return { object: `${t.schema}.${t.name}`, objectKind: 'table', source: { kind: 'table', schema: t.schema, name: t.name } };
}

const TIMESTAMPTZ = 'timestamp with time zone';

export function checkUuidKeys(tables: Table[]): Finding[] {
  const findings: Finding[] = [];
  for (const t of tables) {
    const pk = t.constraints.find((c) => c.type === 'p');
    if (!pk) continue; // no_primary_key reports it
    const typeOf = (col: string) => t.columns.find((c) => c.name === col)?.type ?? '?';
    const bad = pk.columns.filter((c) => typeOf(c) !== 'uuid');
    if (bad.length === 0) continue;
    const single = pk.columns.length === 1;
    findings.push({
      rule: 'uuid_primary_key',
      level: single ? 'warn' : 'info',
      ...tableBase(t),
      message: single
        ? `the primary key of ${t.schema}.${t.name} is ${bad[0]} ${typeOf(bad[0]!)}, not uuid; sequential keys can be guessed (seed 003: all primary keys use UUID)`
        : `the primary key of ${t.schema}.${t.name} (${pk.columns.join(', ')}) has non-uuid column${bad.length > 1 ? 's' : ''} ${bad.map((c) => `${c} ${typeOf(c)}`).join(', ')}`,
      remediation: single
        ? `use id uuid primary key default gen_random_uuid() (or uuid_generate_v4()) for new tables; changing an existing key means migrating every foreign key that references ${t.schema}.${t.name}`
        : 'key the table by uuid columns, or keep it if the key is a natural one (a partition key, a junction of uuid references plus a value)',
    });
  }
  return findings;
}

export function checkTimestamps(tables: Table[]): Finding[] {
  const findings: Finding[] = [];
  for (const t of tables) {
    for (const name of ['created_at', 'updated_at']) {
      const col = t.columns.find((c) => c.name === name);
      if (!col) {
        findings.push({
          rule: 'timestamp_columns',
          level: 'warn',
          ...tableBase(t),
          message: `${t.schema}.${t.name} has no ${name} column (every table has created_at and updated_at)`,
          remediation: `alter table ${qualified(t.schema, t.name)} add column ${quoteIdent(name)} timestamptz not null default now();`,
        });
      } else if (col.type !== TIMESTAMPTZ) {
        findings.push({
          rule: 'timestamp_columns',
          level: 'warn',
          object: `${t.schema}.${t.name}.${name}`,
          objectKind: 'column',
          source: { kind: 'column', schema: t.schema, table: t.name, name },
          message: `${t.schema}.${t.name}.${name} is ${col.type}, not timestamptz`,
          remediation: `alter table ${qualified(t.schema, t.name)} alter column ${quoteIdent(name)} type timestamptz;`,
        });
      }
    }
  }
  return findings;
}

/**
 * Whether a BEFORE UPDATE row trigger keeps updated_at current: its PL/pgSQL function assigns `new.updated_at`, or
 * it is moddatetime(updated_at). A function Keel cannot read (another language) is given the benefit of the doubt.
 */
function maintainsUpdatedAt(catalog: Catalog, trig: Trigger): boolean {
  const fn = catalog.functions.find((f) => `${f.schema}.${f.name}` === trig.function && f.arguments.every((a) => a.mode !== 'in'));
  if (fn) {
    if (fn.language !== 'plpgsql') return true;
    const body = readRoutineBody(fn);
    return body === undefined || body.assignsNew.includes('updated_at');
  }
  // Not a project function (e.g. extensions.moddatetime): read the trigger's arguments.
  try {
    const create = nodeOf(parseSql(trig.definition).stmts?.[0]?.stmt, 'CreateTrigStmt');
    const fname = names(create?.funcname).at(-1);
    const args = Array.isArray(create?.args) ? create.args.map((a) => stringValue(a)) : [];
    if (fname === 'moddatetime') return args.includes('updated_at');
  } catch {
    // unparsable definition: say nothing
  }
  return true;
}

export function checkUpdatedAtTriggers(catalog: Catalog, tables: Table[]): Finding[] {
  const findings: Finding[] = [];
  for (const t of tables) {
    if (!t.columns.some((c) => c.name === 'updated_at')) continue;
    const candidates = catalog.triggers.filter(
      (g) =>
        g.schema === t.schema &&
        g.table === t.name &&
        g.timing === 'before' &&
        g.level === 'row' &&
        g.events.includes('update') &&
        g.enabled !== 'disabled',
    );
    if (candidates.some((g) => maintainsUpdatedAt(catalog, g))) continue;
    const tried = candidates.map((g) => `${g.name} (${g.function})`);
    findings.push({
      rule: 'updated_at_trigger',
      level: 'warn',
      ...tableBase(t),
      message:
        candidates.length === 0
          ? `${t.schema}.${t.name} has updated_at but no BEFORE UPDATE row trigger, so updated_at keeps its insert-time value`
          : `${t.schema}.${t.name} has updated_at, but its BEFORE UPDATE trigger${candidates.length > 1 ? 's' : ''} ${tried.join(', ')} never set${candidates.length > 1 ? '' : 's'} new.updated_at`,
      remediation: `create trigger ${quoteIdent(`${t.name}_updated_at`)} before update on ${qualified(t.schema, t.name)} for each row execute function public.update_updated_at_column(); -- a function that does new.updated_at := now(); return new;`,
    });
  }
  return findings;
}

function parsed(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return parseExpression(text);
  } catch {
    return undefined;
  }
}

export function checkSoftDeletePolicies(catalog: Catalog, tables: Table[]): Finding[] {
  const findings: Finding[] = [];
  for (const t of tables) {
    if (!t.rlsEnabled || !t.columns.some((c) => c.name === 'deleted_at')) continue;
    const reads = catalog.policies.filter(
      (p) =>
        p.schema === t.schema &&
        p.table === t.name &&
        (p.command === 'select' || p.command === 'all') &&
        !p.roles.every((r) => r === 'service_role'),
    );
    const hides = (p: Policy) => {
      const e = parsed(p.using);
      return e !== undefined && requiresNull(e, 'deleted_at', t.name);
    };
    // A restrictive policy that requires deleted_at IS NULL covers every permissive path at once.
    if (reads.some((p) => !p.permissive && hides(p))) continue;
    for (const p of reads.filter((x) => x.permissive && x.using !== null && !hides(x))) {
      findings.push({
        rule: 'soft_delete_select_policy',
        level: 'warn',
        object: `${p.schema}.${p.table}.${p.name}`,
        objectKind: 'policy',
        source: { kind: 'policy', schema: p.schema, table: p.table, name: p.name },
        message: `policy "${p.name}" on ${t.schema}.${t.name} (for ${p.command}) lets soft-deleted rows through: ${t.name} has deleted_at, but USING (${p.using}) does not require deleted_at IS NULL on every path`,
        remediation: `add "deleted_at is null and (…)" to the policy's USING, or add one restrictive policy for all of them: create policy ${quoteIdent(`${t.name}_hide_deleted`)} on ${qualified(t.schema, t.name)} as restrictive for select using (deleted_at is null);`,
      });
    }
  }
  return findings;
}
