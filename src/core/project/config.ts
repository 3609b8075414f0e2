import fs from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { KeelError } from '../errors.js';
import type { MigrationStyle } from './migration-name.js';

/** `supabase/keel.toml`, every key optional. */
export interface KeelConfig {
  migrations: {
    /** Style for `keel migration new`; detected from existing files when unset. */
    style?: MigrationStyle;
  };
  seed: {
    /** Globs relative to supabase/, run in this order; default `seed/*.sql` then `seed.sql`. */
    paths: string[];
  };
  /** Schemas Keel treats as the project's own (reset drops them; types and lint read them). */
  schemas: string[];
  secrets: {
    /** Environment variable holding the key for keel.encrypt_secret / decrypt_secret. */
    keyEnv: string;
  };
  types: {
    /** Regenerate the type files after every `keel db migrate`. */
    onMigrate: boolean;
    /** Folder for generated types, relative to the project root. */
    output: string;
  };
}

export const DEFAULT_CONFIG: KeelConfig = {
  migrations: {},
  seed: { paths: ['seed/*.sql', 'seed.sql'] },
  schemas: ['public'],
  secrets: { keyEnv: 'KEEL_ENCRYPTION_KEY' },
  types: { onMigrate: false, output: 'supabase/types' },
};

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * Reads and validates `keel.toml`, reporting every problem at once; honours `config.toml`'s `[db.seed] sql_paths`
 * (the Supabase CLI's setting) when keel.toml names no seed paths.
 *
 * @example
 * const config = loadConfig('/app/supabase');
 */
export function loadConfig(supabaseDir: string): KeelConfig {
  const config: KeelConfig = structuredClone(DEFAULT_CONFIG);
  const cliSeed = readSupabaseSeedPaths(`${supabaseDir}/config.toml`);
  if (cliSeed) config.seed.paths = cliSeed;
  const file = `${supabaseDir}/keel.toml`;
  if (!fs.existsSync(file)) return config;
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    const e = err as Error & { line?: number; column?: number };
    throw new KeelError('KEEL_CONFIG', `supabase/keel.toml is not valid TOML: ${e.message.split('\n')[0]}`, {
      location: e.line ? { file: 'supabase/keel.toml', line: e.line, column: e.column ?? 1 } : undefined,
      hint: 'fix the syntax; see README, Configuration',
    });
  }
  const problems: string[] = [];
  const known: Record<string, string[]> = { migrations: ['style'], seed: ['paths'], schemas: [], types: ['on_migrate', 'output'], secrets: ['key_env'] };
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in known)) {
      problems.push(`unknown key "${key}" (known: ${Object.keys(known).join(', ')})`);
      continue;
    }
    if (key === 'schemas') {
      if (strings(value) && value.length > 0) config.schemas = value;
      else problems.push('schemas must be a non-empty list of schema names');
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`[${key}] must be a table`);
      continue;
    }
    for (const sub of Object.keys(value)) {
      if (!known[key]!.includes(sub)) problems.push(`unknown key "${key}.${sub}" (known: ${known[key]!.join(', ')})`);
    }
  }
  const m = raw.migrations as Record<string, unknown> | undefined;
  if (m?.style !== undefined) {
    if (m.style === 'sequential' || m.style === 'timestamp') config.migrations.style = m.style;
    else problems.push(`migrations.style must be "sequential" or "timestamp", not ${JSON.stringify(m.style)}`);
  }
  const s = raw.seed as Record<string, unknown> | undefined;
  if (s?.paths !== undefined) {
    if (strings(s.paths)) config.seed.paths = s.paths;
    else problems.push('seed.paths must be a list of globs relative to supabase/');
  }
  const ty = raw.types as Record<string, unknown> | undefined;
  if (ty?.on_migrate !== undefined) {
    if (typeof ty.on_migrate === 'boolean') config.types.onMigrate = ty.on_migrate;
    else problems.push('types.on_migrate must be true or false');
  }
  if (ty?.output !== undefined) {
    if (typeof ty.output === 'string' && ty.output.trim() !== '') config.types.output = ty.output;
    else problems.push('types.output must be a folder path relative to the project root');
  }
  const sec = raw.secrets as Record<string, unknown> | undefined;
  if (sec?.key_env !== undefined) {
    if (typeof sec.key_env === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(sec.key_env)) config.secrets.keyEnv = sec.key_env;
    else problems.push('secrets.key_env must be the name of an environment variable (never the key itself)');
  }
  if (problems.length > 0) {
    throw new KeelError('KEEL_CONFIG', `supabase/keel.toml has ${problems.length} problem${problems.length > 1 ? 's' : ''}`, {
      problems,
      hint: 'fix them all; see README, Configuration',
    });
  }
  return config;
}

function readSupabaseSeedPaths(file: string): string[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const raw = parseToml(fs.readFileSync(file, 'utf8')) as { db?: { seed?: { sql_paths?: unknown } } };
    const paths = raw.db?.seed?.sql_paths;
    return strings(paths) ? paths.map((p) => p.replace(/^\.\//, '')) : undefined;
  } catch {
    return undefined; // the Supabase CLI validates its own file
  }
}
