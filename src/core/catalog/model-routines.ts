/**
 * The model of code and access rules: functions and procedures, triggers, policies.
 */
import type { Grant } from './model.js';

export interface RoutineArgument {
  /** Null when the argument has no name. */
  name: string | null;
  mode: 'in' | 'out' | 'inout' | 'variadic' | 'table';
  type: string;
  /** Input argument with a DEFAULT (callers may omit it). */
  hasDefault: boolean;
}

export interface Routine {
  schema: string;
  name: string;
  kind: 'function' | 'procedure' | 'aggregate' | 'window';
  /** pg_get_function_identity_arguments: what tells overloads apart, `p_project bigint`. */
  identityArgs: string;
  /** Every argument in declaration order, OUT and TABLE columns included. */
  arguments: RoutineArgument[];
  /** format_type of the return type (`record` for RETURNS TABLE); null for procedures. */
  returnType: string | null;
  returnsSet: boolean;
  language: string;
  volatility: 'immutable' | 'stable' | 'volatile';
  securityDefiner: boolean;
  strict: boolean;
  /** proconfig as stored: `search_path=""`, `statement_timeout=5s`. */
  config: string[];
  /** prosrc, or the deparsed body of a SQL-standard `BEGIN ATOMIC` / `RETURN` function. */
  body: string;
  /** pg_get_functiondef (CREATE OR REPLACE …); null for aggregates and window functions, which it cannot print. */
  definition: string | null;
  comment: string | null;
  /** From proacl, or the default (EXECUTE to PUBLIC and the owner) when none was set. */
  grants: Grant[];
}

export interface Trigger {
  schema: string;
  table: string;
  name: string;
  /** pg_get_triggerdef: the full CREATE TRIGGER statement. */
  definition: string;
  /** Schema-qualified trigger function: `public.set_updated_at`. */
  function: string;
  timing: 'before' | 'after' | 'instead of';
  events: ('insert' | 'update' | 'delete' | 'truncate')[];
  level: 'row' | 'statement';
  /** tgenabled: `origin` is the normal "enabled"; `replica`/`always` fire under session_replication_role. */
  enabled: 'origin' | 'always' | 'replica' | 'disabled';
  comment: string | null;
}

export interface Policy {
  schema: string;
  table: string;
  name: string;
  command: 'all' | 'select' | 'insert' | 'update' | 'delete';
  permissive: boolean;
  /** Role names sorted; `PUBLIC` when the policy applies to everyone (as in grants). */
  roles: string[];
  using: string | null;
  withCheck: string | null;
  comment: string | null;
}
