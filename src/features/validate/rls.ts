/**
 * RLS compliance: every table in the exposed schemas (`rlsSchemas`) has row level security enabled and at least one
 * policy. Reported per table: a passing table is an info finding with count 0, so the result lists every table.
 * Catalog only; no query touches data.
 */
import { plural, qualified, type CheckContext, type ValidateFinding } from './shared.js';

export async function checkRls(ctx: CheckContext): Promise<{ findings: ValidateFinding[]; checked: number }> {
  const tables = ctx.catalog.tables.filter((t) => ctx.rlsSchemas.includes(t.schema));
  const findings = tables.map((t): ValidateFinding => {
    const policies = ctx.catalog.policies.filter((p) => p.schema === t.schema && p.table === t.name);
    const object = `${t.schema}.${t.name}`;
    const names = policies.map((p) => p.name);
    const base = { check: 'rls_compliance' as const, object, samples: names.length ? [{ policies: names }] : [] };
    if (!t.rlsEnabled) {
      return {
        ...base,
        level: 'error',
        count: 1,
        message: `RLS is disabled on ${object}${policies.length ? ` (its ${plural(policies.length, 'policy', 'policies')} do nothing)` : ''}: alter table ${qualified(t.schema, t.name)} enable row level security`,
      };
    }
    if (policies.length === 0) {
      return {
        ...base,
        level: 'warn',
        count: 1,
        message: `RLS is enabled on ${object} but it has no policy: only the owner and bypassrls roles can reach its rows`,
      };
    }
    return { ...base, level: 'info', count: 0, message: `RLS enabled, ${plural(policies.length, 'policy', 'policies')}` };
  });
  ctx.progress(tables.length, tables.length);
  return { findings, checked: tables.length };
}
