/**
 * SARIF 2.1.0 output (what GitHub code scanning and most CI viewers read): one run, Keel's rules as the driver's
 * rules, findings as results with their file/line/column and the database object as a logical location. Suppressed
 * findings are included with their justification, as SARIF expects.
 *
 * @example
 * fs.writeFileSync('keel.sarif', JSON.stringify(toSarif(report)));
 */
import { KEEL_VERSION } from '../../version.js';
import type { Finding, Level } from './finding.js';
import type { LintReport, SuppressedFinding } from './run.js';

const SARIF_LEVEL: Record<Level, 'error' | 'warning' | 'note'> = { error: 'error', warn: 'warning', info: 'note' };

export function toSarif(report: LintReport): Record<string, unknown> {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const result = (f: Finding | SuppressedFinding) => ({
    ruleId: f.rule,
    ...(ruleIndex.has(f.rule) && { ruleIndex: ruleIndex.get(f.rule) }),
    level: SARIF_LEVEL[f.level],
    message: { text: `${f.message}. ${f.remediation}` },
    ...(f.location && {
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: f.location.file, uriBaseId: '%SRCROOT%' },
            region: { startLine: f.location.line, startColumn: f.location.column },
          },
        },
      ],
    }),
    logicalLocations: [{ fullyQualifiedName: f.object, kind: f.objectKind }],
    ...('suppressedBy' in f && {
      suppressions: [{ kind: f.suppressedBy.by === 'comment' ? 'inSource' : 'external', justification: f.suppressedBy.reason ?? '' }],
    }),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keel',
            version: KEEL_VERSION,
            rules: report.rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.summary },
              defaultConfiguration: { level: SARIF_LEVEL[r.level] },
              properties: { category: r.category, ...(r.convention && { convention: true }) },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'the project root (the folder holding supabase/)' } } },
        results: [...report.findings.map(result), ...report.suppressed.map(result)],
      },
    ],
  };
}
