/**
 * Function rules (splinter 0011, 0028, 0029): a mutable search_path, and security definer functions the API roles
 * can execute.
 */
import type { Routine } from '../../../core/catalog/index.js';
import type { LintContext, RuleSet } from '../context.js';
import type { Finding, RuleInfo } from '../finding.js';
import { functionSignature, isExposed, isUserSchema, roleHas, type ApiRole } from './shared.js';

const rules: RuleInfo[] = [
  {
    id: 'function_search_path_mutable',
    level: 'warn',
    category: 'security',
    summary: "A function does not set search_path, so the caller's search_path resolves its names (an error when it is security definer).",
  },
  {
    id: 'anon_security_definer_function_executable',
    level: 'warn',
    category: 'security',
    summary: 'anon can execute a security definer function in an exposed schema (directly or through PUBLIC).',
  },
  {
    id: 'authenticated_security_definer_function_executable',
    level: 'warn',
    category: 'security',
    summary: 'authenticated can execute a security definer function in an exposed schema (directly or through PUBLIC).',
  },
];

/** Functions and procedures (aggregates and window functions cannot carry a SET clause). */
function isCallable(fn: Routine): boolean {
  return fn.kind === 'function' || fn.kind === 'procedure';
}

/**
 * Can the API call it? PostgREST calls functions (`/rest/v1/rpc/<name>`), never procedures, and Postgres refuses a
 * direct call of a trigger or event trigger function; splinter (0028/0029) reports those too, Keel does not.
 */
function isRpcCallable(fn: Routine): boolean {
  return fn.kind === 'function' && fn.returnType !== 'trigger' && fn.returnType !== 'event_trigger';
}

function hasSearchPath(fn: Routine): boolean {
  return fn.config.some((c) => c.toLowerCase().startsWith('search_path='));
}

function searchPathMutable(fn: Routine): Finding | undefined {
  if (hasSearchPath(fn)) return undefined;
  const sig = functionSignature(fn);
  const what = fn.kind === 'procedure' ? 'procedure' : 'function';
  const definer = fn.securityDefiner;
  return {
    rule: 'function_search_path_mutable',
    level: definer ? 'error' : 'warn',
    object: sig,
    objectKind: 'function',
    message: definer
      ? `security definer ${what} ${sig} does not set search_path: a caller can put their own schema first and make it run their objects with the owner's privileges`
      : `${what} ${sig} does not set search_path, so the names in its body resolve through the caller's search_path`,
    remediation: `alter ${what} ${sig} set search_path = ''; and schema-qualify every name in its body (public.tasks, auth.uid())`,
    source: { kind: 'function', schema: fn.schema, name: fn.name },
  };
}

function definerExecutable(fn: Routine, role: ApiRole): Finding | undefined {
  if (!roleHas(fn.grants, role, 'EXECUTE')) return undefined;
  const sig = functionSignature(fn);
  const via = fn.grants.some((g) => g.grantee === role && g.privilege === 'EXECUTE') ? `granted to ${role}` : 'granted to PUBLIC';
  const who = role === 'anon' ? 'anyone with the anon key' : 'any signed-in user';
  return {
    rule: `${role}_security_definer_function_executable`,
    level: 'warn',
    object: sig,
    objectKind: 'function',
    message: `security definer function ${sig} in the exposed schema ${fn.schema} is executable by ${role} (${via}): ${who} can call it through /rest/v1/rpc/${fn.name} and it runs with its owner's privileges, bypassing RLS`,
    remediation: `revoke execute on function ${sig} from public, ${role}; or make it security invoker, or move it to a schema the API does not expose`,
    source: { kind: 'function', schema: fn.schema, name: fn.name },
  };
}

function check(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const fn of ctx.catalog.functions) {
    if (!isUserSchema(fn.schema) || !isCallable(fn)) continue;
    const sp = searchPathMutable(fn);
    if (sp) out.push(sp);
    if (fn.securityDefiner && isExposed(ctx, fn.schema) && isRpcCallable(fn)) {
      for (const role of ['anon', 'authenticated'] as const) {
        const f = definerExecutable(fn, role);
        if (f) out.push(f);
      }
    }
  }
  return out;
}

export const functionRules: RuleSet = { rules, check };
