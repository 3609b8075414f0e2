/**
 * What every lint rule produces, and how rules describe themselves. Rules are pure functions over the catalog model
 * or the parsed SQL files; the runner (run.ts) adds locations from the project's files, applies suppressions and
 * levels from config, and sorts.
 *
 * @example
 * const f: Finding = {
 *   rule: 'unindexed_foreign_keys', level: 'info', object: 'public.tasks.tasks_project_id_fkey', objectKind: 'constraint',
 *   message: 'foreign key tasks_project_id_fkey on public.tasks (project_id) has no covering index',
 *   remediation: 'create index on public.tasks (project_id);',
 *   source: { kind: 'constraint', schema: 'public', table: 'tasks', name: 'tasks_project_id_fkey' },
 * };
 */
import type { SourceLocation } from '../../core/errors.js';

export type Level = 'error' | 'warn' | 'info';

export type Category = 'security' | 'performance' | 'correctness' | 'convention' | 'migration';

/** Which project statement defines an object; the runner turns it into `file:line:col` (last definition wins). */
export type SourceKey =
  | { kind: 'table' | 'view' | 'function' | 'index' | 'type' | 'sequence'; schema: string; name: string }
  | { kind: 'policy' | 'constraint' | 'trigger' | 'column'; schema: string; table: string; name: string }
  | { kind: 'extension' | 'schema'; name: string };

export interface Finding {
  /** Rule id: splinter's name for catalog rules (`unindexed_foreign_keys`), squawk's for migration rules (`adding-required-field`). */
  rule: string;
  level: Level;
  /**
   * The object, qualified: `public.tasks` (table, view), `public.tasks.tasks_select_own` (policy, constraint, trigger,
   * column: schema.table.name), `public.is_team_member(uuid)` (function with identity argument types), `pgcrypto`
   * (extension), `supabase/migrations/003_x.sql` (a migration file).
   */
  object: string;
  objectKind:
    | 'table'
    | 'view'
    | 'policy'
    | 'function'
    | 'index'
    | 'constraint'
    | 'column'
    | 'trigger'
    | 'extension'
    | 'schema'
    | 'migration'
    | 'config';
  /** One sentence: what is wrong, naming the object. */
  message: string;
  /** What to do, concretely (SQL where it helps). */
  remediation: string;
  /** Where in the project the object is defined; set by migration rules, filled from `source` by the runner otherwise. */
  location?: SourceLocation;
  /** For the runner's lookup of `location` in the project's SQL files. */
  source?: SourceKey;
}

/** What a rule is, for `keel lint --list-rules`, SARIF and docs. */
export interface RuleInfo {
  id: string;
  /** Default level (config may change it or turn the rule off). */
  level: Level;
  category: Category;
  /** One line: what the rule catches. */
  summary: string;
  /** Seed conventions (UUID keys, timestamps, naming) can be turned off as a group with `[lint] conventions = false`. */
  convention?: boolean;
}
