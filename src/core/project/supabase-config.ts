import path from 'node:path';
import type { SourceLocation } from '../errors.js';
import { readTomlFile, TomlProblems } from './toml.js';

/**
 * What Keel reads of the Supabase CLI's `supabase/config.toml` (read once per project, by `openProject`). Keys Keel does
 * not read are not checked (the CLI checks its own file); the ones it reads must have the CLI's types.
 */
export interface SupabaseConfig {
  /** `supabase/config.toml` exists. */
  present: boolean;
  seed: {
    /** `[db.seed] enabled` (default true). False: nothing seeds, as `supabase db reset` then seeds nothing. */
    enabled: boolean;
    /** Where `enabled = false` is written. */
    enabledAt?: SourceLocation;
    /** `[db.seed] sql_paths`, relative to supabase/ (a leading `./` dropped), each with where it is written. */
    sqlPaths?: { pattern: string; location?: SourceLocation }[];
  };
  api: {
    /** `[api] schemas`: the schemas PostgREST exposes. */
    schemas?: string[];
  };
}

export const CONFIG_TOML = 'supabase/config.toml';

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const describe = (v: unknown) =>
  Array.isArray(v)
    ? 'an array'
    : v instanceof Date
      ? 'a date'
      : typeof v === 'string'
        ? `the string ${JSON.stringify(v)}`
        : `${typeof v} ${JSON.stringify(v)}`;

/**
 * Reads `supabase/config.toml`: a syntax error, or a key Keel reads holding the wrong type, is a KeelError
 * (KEEL_CONFIG) at `supabase/config.toml:line:col`, thrown before any command connects to a database.
 *
 * @example
 * const c = readSupabaseConfig('/app/supabase'); c.seed.enabled
 */
export function readSupabaseConfig(supabaseDir: string): SupabaseConfig {
  const out: SupabaseConfig = { present: false, seed: { enabled: true }, api: {} };
  const t = readTomlFile(path.join(supabaseDir, 'config.toml'), CONFIG_TOML);
  if (!t) return out;
  out.present = true;
  const problems = new TomlProblems(t);
  const table = (v: unknown, at: string[], name: string): Record<string, unknown> | undefined => {
    if (v === undefined) return undefined;
    if (isTable(v)) return v;
    problems.add(at, `${name} must be a table, not ${describe(v)}`);
    return undefined;
  };
  const db = table(t.data.db, ['db'], '[db]');
  const seed = table(db?.seed, ['db', 'seed'], '[db.seed]');
  if (seed?.enabled !== undefined) {
    if (typeof seed.enabled === 'boolean') {
      out.seed.enabled = seed.enabled;
      if (!seed.enabled) out.seed.enabledAt = t.at.key(['db', 'seed', 'enabled']);
    } else problems.add(['db', 'seed', 'enabled'], `[db.seed] enabled must be true or false, not ${describe(seed.enabled)}`);
  }
  if (seed?.sql_paths !== undefined) {
    if (strings(seed.sql_paths)) {
      out.seed.sqlPaths = seed.sql_paths.map((p) => ({
        pattern: p.replace(/^\.\//, ''),
        location: t.at.value(['db', 'seed', 'sql_paths'], p),
      }));
    } else
      problems.add(
        ['db', 'seed', 'sql_paths'],
        `[db.seed] sql_paths must be an array of paths or globs relative to supabase/ (["./seed.sql"]), not ${describe(seed.sql_paths)}`,
      );
  }
  const api = table(t.data.api, ['api'], '[api]');
  if (api?.schemas !== undefined) {
    if (strings(api.schemas)) out.api.schemas = api.schemas;
    else
      problems.add(
        ['api', 'schemas'],
        `[api] schemas must be an array of schema names (["public", "graphql_public"]), not ${describe(api.schemas)}`,
      );
  }
  problems.throwIfAny('fix supabase/config.toml (the Supabase CLI reads the same keys with the same types); nothing was run');
  return out;
}
