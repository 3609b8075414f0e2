/**
 * Seed conventions (seed 000's SQL conventions and file naming, seed 003's principles), on by default and turned off
 * as a group with `[lint] conventions = false`. Tables in exposed schemas only; the shim's auth/extensions schemas
 * and Keel's `keel` schema are never checked. The SQL parser must be loaded before `check` runs.
 */
import type { RuleSet } from '../context.js';
import { checkMigrationNames, checkPlural, checkSnakeCase, NAME_CONVENTIONS } from './names.js';
import {
  checkSoftDeletePolicies,
  checkTimestamps,
  checkUpdatedAtTriggers,
  checkUuidKeys,
  conventionTables,
  TABLE_CONVENTIONS,
} from './tables.js';

export const conventionRules: RuleSet = {
  rules: [...TABLE_CONVENTIONS, ...NAME_CONVENTIONS],
  check(ctx) {
    const tables = conventionTables(ctx);
    return [
      ...checkUuidKeys(tables),
      ...checkTimestamps(tables),
      ...checkUpdatedAtTriggers(ctx.catalog, tables),
      ...checkSoftDeletePolicies(ctx.catalog, tables),
      ...checkSnakeCase(tables),
      ...checkPlural(tables),
      ...checkMigrationNames(ctx),
    ];
  },
};
