/**
 * Seed conventions about names: snake_case tables and columns, plural table names, and seed 000's migration file
 * naming rules.
 */
import type { Table } from '../../../core/catalog/index.js';
import { qualified, quoteIdent } from '../../../core/sql/quote.js';
import type { LintContext } from '../context.js';
import type { Finding, RuleInfo } from '../finding.js';

export const NAME_CONVENTIONS: RuleInfo[] = [
  {
    id: 'snake_case_names',
    level: 'warn',
    category: 'convention',
    convention: true,
    summary: 'A table or column name that is not lower snake_case (letters, digits, single underscores).',
  },
  {
    id: 'plural_table_names',
    level: 'info',
    category: 'convention',
    convention: true,
    summary:
      'A table name whose last word is not plural (`user_profile` → `user_profiles`); junction tables like team_members are plural by their last word.',
  },
  {
    id: 'migration_file_naming',
    level: 'warn',
    category: 'convention',
    convention: true,
    summary:
      'A migration file named against seed 000 (###_action_target.sql or YYYYMMDDHHMMSS_name.sql; no vague names, dates, dashes or capitals).',
  },
];

/** Lower snake_case: `team_members`, `v2_items`; not `TeamMembers`, `team-members`, `team__members`, `_tmp`. */
export function isSnakeCase(name: string): boolean {
  return /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name);
}

/** Words that are plural (or uncountable, so never take an s) without ending in a plain s. */
const PLURAL_WORDS = new Set([
  'people',
  'children',
  'men',
  'women',
  'data',
  'metadata',
  'media',
  'criteria',
  'phenomena',
  'indices',
  'matrices',
  'vertices',
  'feet',
  'teeth',
  'mice',
  'geese',
  'alumni',
  'staff',
  'feedback',
  'equipment',
  'information',
  'software',
  'news',
  'series',
  'species',
  'analytics',
  'menus',
  'documentation',
  'knowledge',
  'history',
  'progress',
  'content',
  'research',
  'evidence',
  'inventory',
]);

/**
 * Whether an English word reads as plural, by a simple documented rule: a known plural or uncountable word
 * (people, data, metadata, feedback, knowledge, history, …), or a word ending in s that is not -ss, -us or -is (address, status and
 * analysis are singular; users, statuses, entries are plural). Digits-only words (`v2`) are left alone.
 *
 * @example
 * isPluralWord('members'); // true
 * isPluralWord('status'); // false
 */
export function isPluralWord(word: string): boolean {
  if (PLURAL_WORDS.has(word) || /^[0-9]+$/.test(word)) return true;
  if (!word.endsWith('s')) return false;
  return !(word.endsWith('ss') || word.endsWith('us') || word.endsWith('is'));
}

/** `category` → `categories`, `address` → `addresses`, `profile` → `profiles`. */
export function pluralOf(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

export function checkSnakeCase(tables: Table[]): Finding[] {
  const findings: Finding[] = [];
  for (const t of tables) {
    if (!isSnakeCase(t.name)) {
      findings.push({
        rule: 'snake_case_names',
        level: 'warn',
        object: `${t.schema}.${t.name}`,
        objectKind: 'table',
        source: { kind: 'table', schema: t.schema, name: t.name },
        message: `table ${t.schema}."${t.name}" is not snake_case; names with capitals or dashes must be quoted in every query`,
        remediation: `alter table ${qualified(t.schema, t.name)} rename to ${quoteIdent(snakeOf(t.name))};`,
      });
    }
    for (const c of t.columns) {
      if (isSnakeCase(c.name)) continue;
      findings.push({
        rule: 'snake_case_names',
        level: 'warn',
        object: `${t.schema}.${t.name}.${c.name}`,
        objectKind: 'column',
        source: { kind: 'column', schema: t.schema, table: t.name, name: c.name },
        message: `column "${c.name}" of ${t.schema}.${t.name} is not snake_case; names with capitals or dashes must be quoted in every query`,
        remediation: `alter table ${qualified(t.schema, t.name)} rename column ${quoteIdent(c.name)} to ${quoteIdent(snakeOf(c.name))};`,
      });
    }
  }
  return findings;
}

/** `TeamMembers` → `team_members`, `team-members` → `team_members`. */
function snakeOf(name: string): string {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase()
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_');
  return /^[a-z]/.test(s) ? s : `t_${s}`;
}

export function checkPlural(tables: Table[]): Finding[] {
  const findings: Finding[] = [];
  for (const t of tables) {
    const words = t.name
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w !== '');
    const last = words.at(-1);
    if (last === undefined || isPluralWord(last)) continue;
    const suggestion = [...words.slice(0, -1), pluralOf(last)].join('_');
    findings.push({
      rule: 'plural_table_names',
      level: 'info',
      object: `${t.schema}.${t.name}`,
      objectKind: 'table',
      source: { kind: 'table', schema: t.schema, name: t.name },
      message: `table ${t.schema}.${t.name} has a singular name; collection tables are plural (users, teams, team_members)`,
      remediation: `alter table ${qualified(t.schema, t.name)} rename to ${quoteIdent(suggestion)}; (or suppress if "${last}" is plural already)`,
    });
  }
  return findings;
}

export function checkMigrationNames(ctx: LintContext): Finding[] {
  return (ctx.sql?.nameProblems ?? []).map((p) => ({
    rule: 'migration_file_naming',
    level: p.level === 'error' ? 'error' : 'warn',
    object: p.file,
    objectKind: 'migration',
    message: `${p.message} [${p.rule}]`,
    remediation:
      'rename the file to NNN_action_target.sql (001_create_users_table.sql) or YYYYMMDDHHMMSS_name.sql, keeping its version if it was already applied',
    location: { file: p.file, line: 1, column: 1 },
  }));
}
