/**
 * Human output of `keel lint`: one block per finding (location, level, rule, object; message; fix), then a summary.
 */
import type { LintResult } from '../commands/lint.js';
import type { RuleInfo } from '../features/lint/finding.js';
import { paint, type Io } from './print.js';

export function lintReport(io: Io, r: LintResult): string {
  const c = paint(io);
  const tag = { error: c.red('error'), warn: c.yellow('warn '), info: c.dim('info ') };
  const lines: string[] = [];
  for (const f of r.findings) {
    const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : f.object;
    lines.push(`${where}  ${tag[f.level]}  ${c.bold(f.rule)}  ${c.dim(f.object)}`);
    lines.push(`  ${f.message}`);
    lines.push(`  ${c.dim('fix:')} ${f.remediation}`);
  }
  if (lines.length > 0) lines.push('');
  for (const n of r.notes) lines.push(c.dim(`note: ${n}`));
  const n = r.findings.length;
  const counts = `${r.counts.error} error${r.counts.error === 1 ? '' : 's'}, ${r.counts.warn} warning${r.counts.warn === 1 ? '' : 's'}, ${r.counts.info} info`;
  const suppressed = r.suppressed.length ? `, ${r.suppressed.length} suppressed` : '';
  const verdict = r.failed ? c.red(`fails at --fail-on ${r.failOn}`) : c.green(`passes at --fail-on ${r.failOn}`);
  lines.push(
    `${n} finding${n === 1 ? '' : 's'} (${counts}${suppressed}) in ${r.target}, ${r.pending.length} pending migration${r.pending.length === 1 ? '' : 's'} read; ${verdict} (${r.durationMs} ms)`,
  );
  return lines.join('\n');
}

export function ruleList(io: Io, rules: RuleInfo[]): string {
  const c = paint(io);
  const width = Math.max(...rules.map((r) => r.id.length));
  return rules
    .map(
      (r) =>
        `${r.id.padEnd(width)}  ${r.level.padEnd(5)}  ${r.category.padEnd(11)}  ${r.summary}${r.convention ? c.dim(' (convention)') : ''}`,
    )
    .join('\n');
}
