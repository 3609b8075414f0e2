/**
 * The lint rules that read inside SQL: function bodies (SQL and PL/pgSQL, with the real parsers) and policy
 * expressions. The SQL parser must be loaded (`await ensureParser()`) before `check` runs.
 *
 * @example
 * await ensureParser();
 * const findings = sqlRules.check({ catalog, exposedSchemas: ['public'] });
 */
import type { RuleSet } from '../context.js';
import { checkSecurityDefiners, checkShadowedParams, FUNCTION_RULES, readFunctions } from './function-rules.js';
import { checkAlwaysTrue, checkInitPlan, checkUserMetadata, POLICY_RULES, readPolicies } from './policy-rules.js';

export const sqlRules: RuleSet = {
  rules: [...FUNCTION_RULES, ...POLICY_RULES],
  check(ctx) {
    const functions = readFunctions(ctx.catalog);
    const policies = readPolicies(ctx.catalog);
    return [
      ...checkShadowedParams(ctx.catalog, functions),
      ...checkSecurityDefiners(ctx.catalog, functions),
      ...checkAlwaysTrue(ctx.catalog, policies),
      ...checkInitPlan(ctx.catalog, policies),
      ...checkUserMetadata(policies),
    ];
  },
};
