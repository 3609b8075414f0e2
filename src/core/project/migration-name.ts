/**
 * Migration file names in both styles Keel accepts: `###_action_target.sql` (seeds 000/004) and
 * `YYYYMMDDHHMMSS_name.sql` (Supabase CLI), matched as the Supabase CLI matches them (`^([0-9]+)_(.*)\.sql$`).
 * Files run in the CLI's order by default: the order of their names as text (`10_b.sql` before `9_a.sql`), since a
 * production database was built in it; `[migrations] order = "numeric"` compares versions as numbers instead.
 */
export type MigrationStyle = 'sequential' | 'timestamp';

/** How versions are ordered: the Supabase CLI's text order (default) or as numbers. */
export type MigrationOrder = 'text' | 'numeric';

export interface MigrationName {
  /** The version exactly as written in the file name (`001`, `20251107000000`): the history key. */
  version: string;
  /** The part after the version: `create_users_table`. */
  name: string;
  style: MigrationStyle;
}

export interface NameProblem {
  level: 'error' | 'warning';
  rule: string;
  message: string;
  /** The file is not run (the Supabase CLI skips it too). */
  skipped?: boolean;
}

const MONTHS =
  /(^|_)(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)(_|$)/;
const VAGUE = new Set([
  'fix',
  'fixes',
  'stuff',
  'misc',
  'changes',
  'update',
  'updates',
  'update_db',
  'fix_stuff',
  'temp',
  'tmp',
  'test',
  'wip',
  'new',
  'migration',
  'db',
  'changes_db',
  'more_changes',
  'final',
  'todo',
]);

/** Reads a version and name out of a file name, or returns undefined when the name has no leading version. */
export function parseMigrationName(file: string): MigrationName | undefined {
  const m = /^([0-9]+)_(.*)\.sql$/.exec(file);
  if (!m) return undefined;
  const version = m[1]!;
  return { version, name: m[2]!, style: version.length >= 12 ? 'timestamp' : 'sequential' };
}

/**
 * Seed 000's naming rules, applied to one file name: a version is required (error), and vague names, date words
 * instead of a sequence, dashes and upper case are reported (warnings).
 *
 * @example
 * checkMigrationName('april_8_changes.sql') // [{ level: 'error', rule: 'migration-name-version', … }]
 */
export function checkMigrationName(file: string): NameProblem[] {
  const parsed = parseMigrationName(file);
  if (!file.endsWith('.sql')) {
    return [
      {
        level: 'warning',
        rule: 'migration-file-type',
        skipped: true,
        message: /\.sql$/i.test(file)
          ? `${file} ends in ${file.slice(-4)}, not .sql: skipped, as the Supabase CLI skips it (it matches ^([0-9]+)_(.*)\\.sql$, case-sensitively); rename it to .sql to apply it`
          : `${file} is not a .sql file: skipped, as the Supabase CLI skips it (only <version>_<name>.sql files are migrations)`,
      },
    ];
  }
  if (!parsed) {
    return [
      {
        level: 'warning',
        rule: 'migration-name-version',
        skipped: true,
        message: `${file} has no version number: skipped, as the Supabase CLI skips it; to run it, name it like 001_create_users.sql or 20250101120000_create_users.sql`,
      },
    ];
  }
  const problems: NameProblem[] = [];
  const words = parsed.name.toLowerCase();
  if (VAGUE.has(words) || words.split(/[_-]/).every((w) => VAGUE.has(w))) {
    problems.push({
      level: 'warning',
      rule: 'migration-name-vague',
      message: `${file}: "${parsed.name}" does not say what changes; use action_target, e.g. add_teams_table`,
    });
  }
  if (MONTHS.test(words)) {
    problems.push({
      level: 'warning',
      rule: 'migration-name-date',
      message: `${file}: a date in the name instead of a sequence; the version orders files, the name says what they do`,
    });
  }
  if (/-/.test(parsed.name)) {
    problems.push({ level: 'warning', rule: 'migration-name-case', message: `${file}: use snake_case (underscores), not dashes` });
  } else if (/[A-Z]/.test(parsed.name)) {
    problems.push({ level: 'warning', rule: 'migration-name-case', message: `${file}: use lower snake_case` });
  }
  return problems;
}

/**
 * The Supabase CLI's order: it applies files in the order Go's `os.ReadDir` lists them, by name as bytes. Two versions
 * compare as text, except that a version that is a prefix of another sorts after it (`10_x.sql` before `1_x.sql`,
 * since `0` sorts before `_`).
 *
 * @example
 * ['9', '10', '202405011200', '20240501120000'].sort(compareVersionText) // ['10', '20240501120000', '202405011200', '9']
 */
export function compareVersionText(a: string, b: string): number {
  const x = `${a}_`;
  const y = `${b}_`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The comparator for an order. */
export function versionComparator(order: MigrationOrder): (a: string, b: string) => number {
  return order === 'numeric' ? compareVersions : compareVersionText;
}

/** The order a list of files was sorted in (numeric only when the text order would put it differently). */
export function orderOf(files: readonly { version: string }[]): MigrationOrder {
  for (let i = 1; i < files.length; i++) if (compareVersionText(files[i - 1]!.version, files[i]!.version) > 0) return 'numeric';
  return 'text';
}

/** Numeric comparison of two versions (`9` < `10`). */
export function compareVersions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The style a folder already uses (the last file's), else `fallback`. */
export function detectStyle(versions: string[], fallback: MigrationStyle): MigrationStyle {
  const last = [...versions].sort(compareVersions).at(-1);
  if (last === undefined) return fallback;
  return last.length >= 12 ? 'timestamp' : 'sequential';
}

/** The version for a new file: the next number (zero-padded like the last) or the UTC timestamp (later than the last). */
export function nextVersion(versions: string[], style: MigrationStyle, now: Date): string {
  const sorted = [...versions].sort(compareVersions);
  const last = sorted.at(-1);
  if (style === 'sequential') {
    const next = (last === undefined ? 0n : BigInt(last)) + 1n;
    return next.toString().padStart(Math.max(3, last?.length ?? 3), '0');
  }
  let stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  if (last !== undefined && last.length >= 12 && BigInt(stamp) <= BigInt(last)) stamp = (BigInt(last) + 1n).toString();
  return stamp;
}
