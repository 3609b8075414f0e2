import type { TestRlsResult } from '../commands/test-rls.js';
import type { Cell } from '../features/rls/run.js';
import { paint, type Io } from './print.js';

const OPS = ['select', 'insert', 'update', 'delete'] as const;

function short(c: Cell): string {
  if (c.op === 'select') return c.expected === c.actual || c.ok ? c.expected : c.actual;
  return c.ok ? c.expected : c.actual;
}

/** The persona × table × operation matrix, then each failing cell with the SQL it ran and what it saw. */
export function rlsMatrix(io: Io, r: TestRlsResult): string {
  const c = paint(io);
  const width = Math.max(8, ...r.personas.map((p) => p.length + 2));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - s.length));
  const lines = [
    `RLS spec ${r.spec} on ${r.target}: ${r.personas.length} personas, ${new Set(r.cells.map((x) => x.table)).size} tables`,
    '',
  ];
  const tables = [...new Set(r.cells.map((x) => x.table))];
  for (const table of tables) {
    lines.push(`${c.bold(pad(table, 28))}${r.personas.map((p) => pad(p, width)).join('')}`);
    for (const op of OPS) {
      const row = r.personas.map((p) => {
        const cell = r.cells.find((x) => x.table === table && x.op === op && x.persona === p);
        if (!cell) return pad('·', width);
        const text = `${cell.ok ? '✓' : '✗'} ${short(cell)}`;
        return (cell.ok ? c.green : c.red)(pad(text, width));
      });
      lines.push(`  ${pad(op, 26)}${row.join('')}`);
    }
  }
  if (r.failures.length > 0) lines.push('', c.red(`${r.failures.length} cell${r.failures.length > 1 ? 's' : ''} differ from the spec:`));
  for (const f of r.failures) {
    lines.push(`  ✗ ${f.table} ${f.op} as ${f.persona}: expected ${f.expected}, got ${f.actual}`);
    lines.push(`      sql: ${f.sql}${f.params.length ? `  -- params ${JSON.stringify(f.params)}` : ''}`);
    if (f.rows) lines.push(`      rows seen (keys, first 5): ${JSON.stringify(f.rows)}`);
    if (f.error) lines.push(`      error: ${f.error.code ? `${f.error.code} ` : ''}${f.error.message}`);
  }
  lines.push(
    '',
    r.probe.length === 0
      ? "cross-tenant probe: no persona changed another persona's rows"
      : c.red(`cross-tenant probe: ${r.probe.length} leak(s)`),
  );
  for (const p of r.probe)
    lines.push(
      `  ✗ ${p.persona} can ${p.op} ${p.rows} row(s) of ${p.table} owned by ${p.owner} (${p.column}); the spec does not allow ${p.op} for ${p.persona}\n      sql: ${p.sql}`,
    );
  const cov = r.coverage;
  if (cov.uncovered.length) lines.push(c.yellow(`not in the spec: ${cov.uncovered.join(', ')}`));
  if (cov.missingOps.length)
    lines.push(c.yellow(`operations not in the spec: ${cov.missingOps.map((m) => `${m.table} ${m.op}`).join(', ')}`));
  if (cov.missingPersonas.length) {
    lines.push(
      c.yellow(`personas not checked: ${cov.missingPersonas.map((m) => `${m.table} ${m.op} (${m.personas.join(', ')})`).join('; ')}`),
    );
  }
  lines.push(`${r.passed} passed, ${r.failed} failed`);
  return lines.join('\n');
}
