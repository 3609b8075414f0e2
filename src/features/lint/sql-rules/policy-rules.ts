/**
 * Rules that read policy expressions (`Policy.using` / `Policy.withCheck`, deparsed by the server, parsed here as
 * `select <expr>`): constant-true policies, per-row auth calls, and policies that trust user_metadata.
 */
import type { Catalog, Policy } from '../../../core/catalog/index.js';
import { quoteIdent } from '../../../core/sql/quote.js';
import type { Finding, RuleInfo } from '../finding.js';
import { callsOutsideSubquery, constantTruth, isPerRowAuthCall, parseExpression, readsJwtUserMetadata, selfComparisons } from './expr.js';
import { isProjectSchema, listWords } from './shared.js';

export const POLICY_RULES: RuleInfo[] = [
  {
    id: 'rls_policy_always_true',
    level: 'warn',
    category: 'security',
    summary:
      "A permissive policy for PUBLIC, anon or authenticated, for insert, update, delete or all, whose USING or WITH CHECK is constant true (`true`, `1 = 1`, `x = x`, `true OR …`); select-only policies are reported at info (often intended, e.g. a public catalog). Also any policy that compares a column with itself inside a subquery (`exists (… where team_id = team_id)`: the condition is always true, seed 000's bug in policy form).",
  },
  {
    id: 'auth_rls_initplan',
    level: 'warn',
    category: 'performance',
    summary:
      'A policy calls auth.uid(), auth.jwt(), auth.role(), auth.email() or current_setting() outside a scalar subquery, so it runs once per row instead of once per query.',
  },
  {
    id: 'rls_references_user_metadata',
    level: 'error',
    category: 'security',
    summary: 'A policy reads user_metadata from auth.jwt(), which users can edit themselves.',
  },
];

interface ReadPolicy {
  policy: Policy;
  using: unknown;
  withCheck: unknown;
}

/** Policies on the project's tables with their parsed expressions (an expression that does not parse is left out). */
export function readPolicies(catalog: Catalog): ReadPolicy[] {
  const parse = (text: string | null): unknown => {
    if (text === null) return undefined;
    try {
      return parseExpression(text);
    } catch {
      return undefined;
    }
  };
  return catalog.policies
    .filter((p) => isProjectSchema(p.schema))
    .map((policy) => ({ policy, using: parse(policy.using), withCheck: parse(policy.withCheck) }));
}

function base(p: Policy): Pick<Finding, 'object' | 'objectKind' | 'source'> {
  return {
    object: `${p.schema}.${p.table}.${p.name}`,
    objectKind: 'policy',
    source: { kind: 'policy', schema: p.schema, table: p.table, name: p.name },
  };
}

function describe(p: Policy): string {
  return `policy "${p.name}" on ${p.schema}.${p.table} (for ${p.command}${p.roles.includes('PUBLIC') ? '' : ` to ${p.roles.join(', ')}`})`;
}

/**
 * Policies API users fall under (splinter's filter): PUBLIC, anon or authenticated. `using (true)` for service_role or
 * a custom back-office role is a statement of intent, not a hole.
 */
function forApiUsers(p: Policy): boolean {
  return p.roles.some((r) => r === 'PUBLIC' || r === 'anon' || r === 'authenticated');
}

/**
 * Splinter's 0024 semantics, with the expressions evaluated on the parse tree instead of matched as text: permissive
 * policies for API roles on tables with RLS enabled. Unlike splinter, a missing USING or WITH CHECK is not "always
 * true": Postgres lets a permissive policy without the expression grant nothing (an insert policy with no WITH CHECK
 * admits no row).
 */
export function checkAlwaysTrue(catalog: Catalog, policies: ReadPolicy[]): Finding[] {
  const rls = new Set(catalog.tables.filter((t) => t.rlsEnabled).map((t) => `${t.schema}.${t.name}`));
  const findings: Finding[] = [];
  for (const { policy: p, using, withCheck } of policies) {
    if (!rls.has(`${p.schema}.${p.table}`)) continue;
    findings.push(...selfComparisonFindings(p, using, withCheck));
    if (!p.permissive || !forApiUsers(p)) continue;
    const clauses: string[] = [];
    if (using !== undefined && constantTruth(using) === 'true') clauses.push(`USING (${p.using})`);
    if (withCheck !== undefined && constantTruth(withCheck) === 'true') clauses.push(`WITH CHECK (${p.withCheck})`);
    if (clauses.length === 0) continue;
    const readOnly = p.command === 'select';
    findings.push({
      rule: 'rls_policy_always_true',
      level: readOnly ? 'info' : 'warn',
      ...base(p),
      message: `${describe(p)} is always true: ${listWords(clauses)} ${clauses.length > 1 ? 'hold' : 'holds'} for every row, so RLS does not limit ${readOnly ? 'which rows are read' : p.command === 'all' ? 'which rows are read or written' : `which rows can be ${p.command === 'insert' ? 'inserted' : p.command === 'update' ? 'updated' : 'deleted'}`} in ${p.schema}.${p.table}`,
      remediation: readOnly
        ? 'if every row is meant to be public, keep it and say so with a suppression (-- keel-ignore rls_policy_always_true: public catalog); otherwise test the row, e.g. using (user_id = (select auth.uid()))'
        : `test the row instead, e.g. ${p.command === 'insert' ? 'with check' : 'using'} (user_id = (select auth.uid())), or grant the policy to a role API users do not have (to service_role)`,
    });
  }
  return findings;
}

/**
 * A column compared with itself somewhere the whole expression is not already constant true, typically inside an
 * EXISTS: `exists (select 1 from public.team_members where user_id = auth.uid() and team_id = team_id)` — the
 * unqualified team_id binds to team_members (the innermost table that has it), so the condition is "a member of any
 * team", not of this row's team.
 */
function selfComparisonFindings(p: Policy, using: unknown, withCheck: unknown): Finding[] {
  const columns = new Set<string>();
  for (const e of [using, withCheck]) {
    if (e === undefined || constantTruth(e) === 'true') continue;
    for (const c of selfComparisons(e)) columns.add(c);
  }
  if (columns.size === 0) return [];
  const list = [...columns].sort();
  const last = (c: string) => c.split('.').at(-1)!;
  return [
    {
      rule: 'rls_policy_always_true',
      level: 'warn',
      ...base(p),
      message: `${describe(p)} compares ${listWords(list.map((c) => `${c} = ${c}`))} with itself: always true, so that condition does not tie the ${list.length > 1 ? 'subqueries' : 'subquery'} to the ${p.schema}.${p.table} row being checked (an unqualified column binds to the innermost table that has it)`,
      remediation: `qualify the outer column with the policy's table: ${quoteIdent(last(list[0]!))} = ${quoteIdent(p.table)}.${quoteIdent(last(list[0]!))}`,
    },
  ];
}

export function checkInitPlan(catalog: Catalog, policies: ReadPolicy[]): Finding[] {
  const rls = new Set(catalog.tables.filter((t) => t.rlsEnabled).map((t) => `${t.schema}.${t.name}`));
  const findings: Finding[] = [];
  for (const { policy: p, using, withCheck } of policies) {
    if (!rls.has(`${p.schema}.${p.table}`)) continue; // policies of a table without RLS never run
    const calls = [
      ...new Set([
        ...(using === undefined ? [] : callsOutsideSubquery(using, isPerRowAuthCall)),
        ...(withCheck === undefined ? [] : callsOutsideSubquery(withCheck, isPerRowAuthCall)),
      ]),
    ];
    if (calls.length === 0) continue;
    const first = calls[0]!;
    const wrapped =
      first === 'current_setting()' || first === 'pg_catalog.current_setting()' ? "(select current_setting('…'))" : `(select ${first})`;
    findings.push({
      rule: 'auth_rls_initplan',
      level: 'warn',
      ...base(p),
      message: `${describe(p)} calls ${listWords(calls)} outside a subquery, so it is evaluated again for every row`,
      remediation: `wrap each call in a scalar subquery, ${first} → ${wrapped}: Postgres then runs it once per query (an InitPlan)`,
    });
  }
  return findings;
}

export function checkUserMetadata(policies: ReadPolicy[]): Finding[] {
  const findings: Finding[] = [];
  for (const { policy: p, using, withCheck } of policies) {
    if (!(using !== undefined && readsJwtUserMetadata(using)) && !(withCheck !== undefined && readsJwtUserMetadata(withCheck))) continue;
    findings.push({
      rule: 'rls_references_user_metadata',
      level: 'error',
      ...base(p),
      message: `${describe(p)} reads user_metadata from auth.jwt(); every user can change their own user_metadata (auth.updateUser), so it must not decide access`,
      remediation:
        "read the claim from app_metadata instead (auth.jwt() -> 'app_metadata', set only by the server), or from a table users cannot write",
    });
  }
  return findings;
}
