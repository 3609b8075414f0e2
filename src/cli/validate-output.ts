import type { ValidateResult } from '../commands/validate.js';
import type { CheckId, ValidateFinding, ValidateProgress } from '../features/validate/shared.js';
import { paint, type Io } from './print.js';

/** `keel db validate` for people: findings grouped by check, with counts and samples; RLS as a per-table list. */

const TITLES: Record<CheckId, string> = {
  orphaned_rows: 'orphaned rows (foreign keys)',
  implied_reference: 'implied references (no foreign key)',
  check_violation: 'CHECK violations (NOT VALID / NOT ENFORCED)',
  not_null_violation: 'NULLs under NOT NULL ... NOT VALID (PG 18)',
  unique_violation: 'invalid unique indexes',
  sequence_behind: 'sequences behind their column',
  updated_before_created: 'updated_at earlier than created_at',
  references_soft_deleted: 'rows referencing soft-deleted rows',
  value_outside_set: 'values outside an enum-like CHECK',
  rls_compliance: 'RLS compliance',
  nothing_checked: 'nothing validated',
};

function sampleText(samples: Record<string, unknown>[]): string {
  return samples.map((s) => JSON.stringify(s)).join(', ');
}

export function validateText(io: Io, r: ValidateResult): string {
  const c = paint(io);
  const mark = (f: ValidateFinding) =>
    f.level === 'error'
      ? c.red('✗ error')
      : f.level === 'warn'
        ? c.yellow('! warn ')
        : f.count === 0 && f.check === 'rls_compliance'
          ? c.green('✓ pass ')
          : c.dim('i info ');
  const source = r.schemaSource === 'database' ? ', every user schema' : r.schemaSource === 'config' ? ', from keel.toml' : '';
  const rls = r.rlsSchemas.join(', ') !== r.schemas.join(', ') ? `; RLS on ${r.rlsSchemas.join(', ') || 'none'}` : '';
  const lines = [
    `${r.target}: validated ${r.schemas.length ? `schema${r.schemas.length > 1 ? 's' : ''} ${r.schemas.join(', ')}` : 'no schema'} (${r.summary.tables} table(s)${source}${rls}; ${r.families.join(', ')}) with ${r.summary.queries} queries in ${(r.summary.durationMs / 1000).toFixed(2)} s`,
  ];
  const groups = new Map<CheckId, ValidateFinding[]>();
  for (const f of r.checks) groups.set(f.check, [...(groups.get(f.check) ?? []), f]);
  for (const [check, list] of groups) {
    const problems = list.filter((f) => f.level !== 'info').length;
    const rows = list.reduce((n, f) => n + (f.check === 'rls_compliance' ? 0 : f.count), 0);
    const counts =
      check === 'rls_compliance'
        ? `${list.length} table(s), ${problems} failing`
        : `${list.length} finding(s)${rows ? `, ${rows} row(s)` : ''}`;
    lines.push('', `${c.bold(TITLES[check])}: ${counts}`);
    for (const f of list) {
      lines.push(`  ${mark(f)}  ${f.object}: ${f.message}`);
      if (f.samples.length && f.check !== 'rls_compliance') lines.push(c.dim(`           samples: ${sampleText(f.samples)}`));
    }
  }
  const checkedText = Object.entries(r.summary.checked)
    .map(([family, n]) => `${family} ${n}`)
    .join(', ');
  for (const i of r.ignored ?? []) lines.push(c.dim(`  ignored (keel.toml): ${i.check} ${i.object}, ${i.count} row(s): ${i.reason}`));
  lines.push('', `checked: ${checkedText}`);
  const s = r.summary;
  const tally = `${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info`;
  lines.push(s.ok ? c.green(`ok: ${tally}`) : c.red(`problems found: ${tally}`));
  return lines.join('\n');
}

/** One stderr line per family as it finishes (TTY only; the caller decides). */
export function validateProgressLine(io: Io, e: ValidateProgress): string | undefined {
  if (!e.finished) return undefined;
  return `${paint(io).dim('·')} ${e.family.padEnd(11)} ${e.total} checked, ${e.finished.findings} finding(s), ${e.finished.ms.toFixed(0)} ms`;
}
