/**
 * What catalog and SQL rules get: the catalog of the database under lint and the project's parsed SQL files.
 */
import type { Catalog } from '../../core/catalog/index.js';
import type { ProjectSql } from '../migrate/load.js';
import type { Finding, RuleInfo } from './finding.js';

export interface LintContext {
  /** Every user schema (auth and extensions included when present), read with readCatalog(engine). */
  catalog: Catalog;
  /** Schemas exposed through the API (config `schemas`, default `['public']`): where exposure rules apply. */
  exposedSchemas: string[];
  /** The project's parsed files, when linting a project (absent when linting a bare database). */
  sql?: ProjectSql;
}

/** A group of rules: their descriptions and one function that checks them all. */
export interface RuleSet {
  rules: RuleInfo[];
  check(ctx: LintContext): Finding[];
}
