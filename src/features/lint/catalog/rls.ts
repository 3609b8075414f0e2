/**
 * Row level security rules (splinter 0006, 0007, 0008, 0013): RLS off on an exposed table, policies that never run
 * because RLS is off, RLS on with no policy, and overlapping permissive policies.
 */
import type { Policy, Table } from '../../../core/catalog/index.js';
import type { LintContext, RuleSet } from '../context.js';
import type { Finding, RuleInfo } from '../finding.js';
import { API_ROLES, BYPASS_RLS_ROLES, isExposed, isUserSchema, listing, qualified, roleHas } from './shared.js';

const rules: RuleInfo[] = [
  {
    id: 'rls_disabled_in_public',
    level: 'error',
    category: 'security',
    summary: 'A table in an exposed schema that anon or authenticated can reach has row level security disabled.',
  },
  {
    id: 'policy_exists_rls_disabled',
    level: 'error',
    category: 'security',
    summary: 'A table has RLS policies, but RLS is disabled, so none of them is applied.',
  },
  {
    id: 'rls_enabled_no_policy',
    level: 'info',
    category: 'security',
    summary: 'A table has RLS enabled and no policy: only its owner and roles that bypass RLS can use it.',
  },
  {
    id: 'multiple_permissive_policies',
    level: 'warn',
    category: 'performance',
    summary: 'More than one permissive policy applies to the same role and command on a table; each one runs for every row.',
  },
];

const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
const COMMANDS = ['select', 'insert', 'update', 'delete'] as const;

/** Tables the project owns: not in a platform schema. */
function userTables(ctx: LintContext): Table[] {
  return ctx.catalog.tables.filter((t) => isUserSchema(t.schema));
}

function policiesOf(ctx: LintContext, t: Table): Policy[] {
  return ctx.catalog.policies.filter((p) => p.schema === t.schema && p.table === t.name);
}

const quotedNames = (policies: Policy[]) => policies.map((p) => `"${p.name}"`);

function rlsDisabledInPublic(ctx: LintContext, t: Table): Finding | undefined {
  if (!isExposed(ctx, t.schema) || t.rlsEnabled) return undefined;
  // Any API privilege counts, not only SELECT (splinter's test): a table anon can write without RLS is as open.
  const reach = API_ROLES.map((role) => ({ role, privileges: TABLE_PRIVILEGES.filter((p) => roleHas(t.grants, role, p)) })).filter(
    (r) => r.privileges.length > 0,
  );
  if (reach.length === 0) return undefined;
  const name = qualified(t.schema, t.name);
  const who = reach.map((r) => `${r.role} can ${listing(r.privileges.map((p) => p.toLowerCase()))}`).join('; ');
  return {
    rule: 'rls_disabled_in_public',
    level: 'error',
    object: name,
    objectKind: 'table',
    message: `table ${name} is in the exposed schema ${t.schema} (${who}) but row level security is disabled, so every row is open to the API`,
    remediation: `alter table ${name} enable row level security; then add policies for anon/authenticated (or revoke their privileges if the table is not for the API)`,
    source: { kind: 'table', schema: t.schema, name: t.name },
  };
}

function policyExistsRlsDisabled(t: Table, policies: Policy[]): Finding | undefined {
  if (t.rlsEnabled || policies.length === 0) return undefined;
  const name = qualified(t.schema, t.name);
  return {
    rule: 'policy_exists_rls_disabled',
    level: 'error',
    object: name,
    objectKind: 'table',
    message: `table ${name} has ${policies.length === 1 ? 'the policy' : 'the policies'} ${listing(quotedNames(policies))}, but row level security is disabled, so no policy is applied`,
    remediation: `alter table ${name} enable row level security;`,
    source: { kind: 'table', schema: t.schema, name: t.name },
  };
}

function rlsEnabledNoPolicy(t: Table, policies: Policy[]): Finding | undefined {
  if (!t.rlsEnabled || policies.length > 0) return undefined;
  const name = qualified(t.schema, t.name);
  return {
    rule: 'rls_enabled_no_policy',
    level: 'info',
    object: name,
    objectKind: 'table',
    message: `table ${name} has row level security enabled but no policy, so only its owner and roles that bypass RLS (service_role) can read or write it`,
    remediation: `create policy for the roles that should see rows, e.g. create policy "read own rows" on ${name} for select to authenticated using (...); or leave it if only the service role uses ${name}`,
    source: { kind: 'table', schema: t.schema, name: t.name },
  };
}

/**
 * Overlapping permissive policies: one finding per table (splinter reports one per role and command), listing each
 * overlap as the set of policies and the roles and commands it covers. A policy `for all` counts for every command;
 * a policy `to public` counts for anon, authenticated and every role another policy of the table names, except roles
 * that bypass RLS (the catalog model does not list roles, and no other role reaches the API). The finding points at
 * the policy that takes part in the most overlaps (typically a broad `for all` one), where a fix or a suppression goes.
 */
function multiplePermissivePolicies(t: Table, policies: Policy[]): Finding | undefined {
  const permissive = policies.filter((p) => p.permissive);
  if (permissive.length < 2) return undefined;
  const named = new Set<string>([...API_ROLES, ...permissive.flatMap((p) => p.roles.filter((r) => r !== 'PUBLIC'))]);
  const rolesOf = (p: Policy) => (p.roles.includes('PUBLIC') ? [...named] : p.roles).filter((r) => !BYPASS_RLS_ROLES.has(r));
  const byRoleCommand = new Map<string, { role: string; command: string; policies: Policy[] }>();
  for (const p of permissive) {
    const commands = p.command === 'all' ? COMMANDS : [p.command];
    for (const role of rolesOf(p)) {
      for (const command of commands) {
        const key = `${role}\u0000${command}`;
        const entry = byRoleCommand.get(key) ?? { role, command, policies: [] };
        entry.policies.push(p);
        byRoleCommand.set(key, entry);
      }
    }
  }
  const groups = new Map<string, { policies: Policy[]; roles: Set<string>; commands: Set<string> }>();
  for (const { role, command, policies: ps } of byRoleCommand.values()) {
    if (ps.length < 2) continue;
    const sorted = [...ps].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const key = sorted.map((p) => p.name).join('\u0000');
    const group = groups.get(key) ?? { policies: sorted, roles: new Set(), commands: new Set() };
    group.roles.add(role);
    group.commands.add(command);
    groups.set(key, group);
  }
  if (groups.size === 0) return undefined;
  const ordered = [...groups.values()].sort(
    (a, b) =>
      COMMANDS.findIndex((c) => a.commands.has(c)) - COMMANDS.findIndex((c) => b.commands.has(c)) || a.policies.length - b.policies.length,
  );
  const overlaps = ordered.map((g) => {
    const roles = [...g.roles].sort();
    return `${listing(quotedNames(g.policies))} for ${listing(roles)} on ${listing(COMMANDS.filter((c) => g.commands.has(c)))}`;
  });
  const uses = new Map<string, number>();
  for (const g of ordered) for (const p of g.policies) uses.set(p.name, (uses.get(p.name) ?? 0) + 1);
  const [focus] = [...uses].sort(([a, x], [b, y]) => y - x || (a < b ? 1 : a > b ? -1 : 0));
  const name = qualified(t.schema, t.name);
  return {
    rule: 'multiple_permissive_policies',
    level: 'warn',
    object: name,
    objectKind: 'table',
    message: `table ${name} has overlapping permissive policies, and Postgres evaluates every one of them for each row: ${overlaps.join('; ')}`,
    remediation: `merge the overlapping policies into one policy per role and command (OR their conditions), or make the extra ones restrictive if they are meant to narrow access`,
    source: { kind: 'policy', schema: t.schema, table: t.name, name: focus![0] },
  };
}

function check(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const t of userTables(ctx)) {
    const policies = policiesOf(ctx, t);
    for (const f of [
      rlsDisabledInPublic(ctx, t),
      policyExistsRlsDisabled(t, policies),
      rlsEnabledNoPolicy(t, policies),
      multiplePermissivePolicies(t, policies),
    ]) {
      if (f) out.push(f);
    }
  }
  return out;
}

export const rlsRules: RuleSet = { rules, check };
