/**
 * The catalog rules of `keel lint`: splinter's lints (the linter behind the Supabase advisors), under splinter's
 * names, as pure functions of the catalog model. The runner must `await ensureParser()` before `check()`: view and
 * index definitions are read with the real Postgres parser.
 *
 * @example
 * await ensureParser();
 * const findings = catalogRules.check({ catalog: await readCatalog(engine), exposedSchemas: ['public'] });
 */
import type { LintContext, RuleSet } from '../context.js';
import type { Finding } from '../finding.js';
import { exposureRules } from './exposure.js';
import { functionRules } from './functions.js';
import { indexRules } from './indexes.js';
import { rlsRules } from './rls.js';

const sets: RuleSet[] = [rlsRules, indexRules, functionRules, exposureRules];

export const catalogRules: RuleSet = {
  rules: sets.flatMap((s) => s.rules),
  check: (ctx: LintContext): Finding[] => sets.flatMap((s) => s.check(ctx)),
};

export { PLATFORM_SCHEMAS } from './shared.js';
export { SENSITIVE_NAMES, SENSITIVE_PARTS, sensitivePattern } from './exposure.js';
