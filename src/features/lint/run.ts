/**
 * One lint pass: runs the rule sets over the catalog and the project's files, adds locations, applies levels and
 * suppressions from config and comments, and sorts. Pure: the database was read before (see commands/lint.ts).
 *
 * @example
 * const report = runLint({ catalog, exposedSchemas: ['public'], sql, pending: sql.migrations, existingTables: new Set(), config: DEFAULT_CONFIG.lint });
 * report.findings.filter((f) => f.level === 'error');
 */
import type { Catalog } from '../../core/catalog/index.js';
import type { LintConfig } from '../../core/project/config.js';
import type { ProjectSql } from '../migrate/load.js';
import type { PreparedFile } from '../migrate/run-file.js';
import type { LintContext } from './context.js';
import type { Finding, Level, RuleInfo } from './finding.js';
import { ALL_RULES, RULE_SETS, lintMigrations } from './rules.js';
import { buildSourceMap, projectFiles } from './source-map.js';
import { commentSuppressions, configSuppressions, suppressionFor, type Suppression } from './suppress.js';

export interface LintInput {
  catalog: Catalog;
  exposedSchemas: string[];
  sql?: ProjectSql;
  /** Migration files not applied on the target, in order: the migration-safety rules read these. */
  pending: PreparedFile[];
  /** `schema.table` names that exist before the pending files run (changes to them are the risky ones). */
  existingTables: Set<string>;
  config: LintConfig;
  /** keel.toml's text, to locate `[[lint.ignore]]` entries. */
  configText?: string;
  /** Only these rules (default: all that are on). */
  only?: string[];
}

export interface SuppressedFinding extends Finding {
  suppressedBy: { by: 'comment' | 'config'; reason: string | null; location: Suppression['location'] };
}

export interface LintReport {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  counts: Record<Level, number>;
  /** Rules that ran, with the level each ran at. */
  rules: RuleInfo[];
}

export const LEVEL_RANK: Record<Level, number> = { error: 3, warn: 2, info: 1 };

/** Rules the lint framework itself reports. */
export const FRAMEWORK_RULES: RuleInfo[] = [
  {
    id: 'suppression_missing_reason',
    level: 'error',
    category: 'correctness',
    summary: 'a keel-ignore comment or [[lint.ignore]] entry without a reason',
  },
  {
    id: 'unused_suppression',
    level: 'info',
    category: 'correctness',
    summary: 'a keel-ignore comment or [[lint.ignore]] entry that silenced nothing',
  },
];

/** The rules that run under a config: conventions off removes them; `[lint.rules] x = "off"` removes x; other values set the level. */
export function activeRules(config: LintConfig, only?: string[]): RuleInfo[] {
  return [...ALL_RULES, ...FRAMEWORK_RULES]
    .filter((r) => !(r.convention && !config.conventions))
    .filter((r) => config.rules[r.id] !== 'off')
    .filter((r) => !only?.length || only.includes(r.id) || FRAMEWORK_RULES.includes(r))
    .map((r) => {
      const level = config.rules[r.id];
      return level && level !== 'off' ? { ...r, level } : r;
    });
}

export function runLint(input: LintInput): LintReport {
  const rules = activeRules(input.config, input.only);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const ctx: LintContext = { catalog: input.catalog, exposedSchemas: input.exposedSchemas, sql: input.sql };
  const raw: Finding[] = [
    ...RULE_SETS.flatMap((set) => (set.rules.some((r) => byId.has(r.id)) ? set.check(ctx) : [])),
    ...lintMigrations(input.pending, { existingTables: input.existingTables }),
  ];
  const map = buildSourceMap(input.sql);
  const located = raw
    .filter((f) => byId.has(f.rule))
    .map((f): Finding => {
      const location = f.location ?? (f.source ? map.find(f.source) : undefined);
      // A rule may report below or above its default (a select-only always-true policy is info); config overrides it.
      const configured = input.config.rules[f.rule];
      return { ...f, ...(configured && configured !== 'off' && { level: configured }), ...(location && { location }) };
    });

  const suppressions = [
    ...commentSuppressions(input.sql ? [...projectFiles(input.sql)] : []),
    ...configSuppressions(input.config, input.configText),
  ];
  const used = new Set<Suppression>();
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of located) {
    const s = suppressionFor(f, suppressions);
    if (!s) {
      findings.push(f);
      continue;
    }
    used.add(s);
    suppressed.push({ ...f, suppressedBy: { by: s.by, reason: s.reason, location: s.location } });
  }
  const known = new Set([...ALL_RULES, ...FRAMEWORK_RULES].map((r) => r.id));
  for (const s of suppressions) {
    const what = s.by === 'comment' ? `keel-ignore ${s.rules.join(', ')}` : `[[lint.ignore]] rule = "${s.rules[0]}"`;
    const base = {
      object: s.location.file,
      objectKind: (s.by === 'comment' ? 'migration' : 'config') as Finding['objectKind'],
      location: s.location,
    };
    if (s.reason === null && byId.has('suppression_missing_reason')) {
      findings.push({
        ...base,
        rule: 'suppression_missing_reason',
        level: byId.get('suppression_missing_reason')!.level,
        message: `${what} gives no reason`,
        remediation:
          s.by === 'comment'
            ? `write why after a colon: -- keel-ignore ${s.rules.join(', ')}: <reason>`
            : 'add reason = "<why>" to the entry',
      });
    }
    const unknown = s.rules.filter((r) => !known.has(r));
    // Unused only counts when all its rules ran (`--rule x` must not call every other suppression unused).
    if (unknown.length > 0 || (!used.has(s) && s.rules.every((r) => byId.has(r)))) {
      if (!byId.has('unused_suppression')) continue;
      findings.push({
        ...base,
        rule: 'unused_suppression',
        level: byId.get('unused_suppression')!.level,
        message:
          unknown.length > 0
            ? `${what} names unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`
            : `${what} silenced nothing`,
        remediation:
          unknown.length > 0
            ? 'check the rule id (`keel lint --list-rules`)'
            : 'remove it, or check that it sits on the statement that defines the object',
      });
    }
  }
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  const counts: Record<Level, number> = { error: 0, warn: 0, info: 0 };
  for (const f of findings) counts[f.level]++;
  return { findings, suppressed, counts, rules };
}

/** Errors first, then by file and line (unlocated last), then rule and object. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
    (a.location?.file ?? '\uffff').localeCompare(b.location?.file ?? '\uffff') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    a.rule.localeCompare(b.rule) ||
    a.object.localeCompare(b.object)
  );
}
