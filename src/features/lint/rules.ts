/**
 * Every lint rule Keel has, by family: catalog rules (splinter's names), rules that read inside SQL (function bodies,
 * policy expressions), seed conventions, and migration safety on pending files (squawk's names).
 */
import { catalogRules } from './catalog/index.js';
import { conventionRules } from './conventions/index.js';
import type { RuleSet } from './context.js';
import type { RuleInfo } from './finding.js';
import { lintMigrations, migrationRules } from './migrations/index.js';
import { sqlRules } from './sql-rules/index.js';

export { lintMigrations };

/** Rule sets over the catalog (and the parsed project files). */
export const RULE_SETS: RuleSet[] = [catalogRules, sqlRules, conventionRules];

export const ALL_RULES: RuleInfo[] = [...RULE_SETS.flatMap((s) => s.rules), ...migrationRules];
