/**
 * The scaling plot as a hand-written SVG: log-log axes (project size × against seconds), one line per command per
 * engine (colour per command; PGlite solid, Postgres dashed), a dotted "linear" guide from the lowest 1× point.
 */
const W = 760;
const H = 480;
const M = { left: 64, right: 220, top: 40, bottom: 52 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** SVG text for `out` (bench/scaling.js's results): `steps` in legend order, `sizes` on the x axis. */
export function scalingSvg(out, steps, sizes) {
  const lines = [];
  for (const [engine, bySize] of Object.entries(out.engines)) {
    steps.forEach((step, i) => {
      const points = sizes.map((s) => [s, bySize[`${s}x`]?.[step]?.median]).filter(([, y]) => y > 0);
      if (points.length > 1) lines.push({ engine, step, color: COLORS[i % COLORS.length], points });
    });
  }
  const ys = lines.flatMap((l) => l.points.map(([, y]) => y));
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const xMin = sizes[0];
  const xMax = sizes[sizes.length - 1];
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (v) => M.left + (Math.log10(v / xMin) / Math.log10(xMax / xMin)) * pw;
  const y = (v) => M.top + ph - (Math.log10(v / yMin) / Math.log10(yMax / yMin)) * ph;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="20" font-size="13" font-weight="bold">keel: seconds per command (CLI process) against project size, log-log</text>`,
  ];
  for (let v = yMin; v <= yMax * 1.0001; v *= 10) {
    for (const m of [1, 2, 5]) {
      const t = v * m;
      if (t > yMax * 1.0001) break;
      parts.push(
        `<line x1="${M.left}" x2="${M.left + pw}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${m === 1 ? '#ccc' : '#eee'}"/>`,
      );
      parts.push(
        `<text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" fill="#555">${esc(t >= 1 ? t : t.toPrecision(1))} s</text>`,
      );
    }
  }
  for (const s of sizes) {
    parts.push(`<line x1="${x(s).toFixed(1)}" x2="${x(s).toFixed(1)}" y1="${M.top}" y2="${M.top + ph}" stroke="#ccc"/>`);
    const p = out.projects[`${s}x`];
    parts.push(`<text x="${x(s).toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle">${s}×</text>`);
    if (p) {
      parts.push(
        `<text x="${x(s).toFixed(1)}" y="${M.top + ph + 30}" text-anchor="middle" fill="#555">${p.migrations} files, ${p.tables} tables, ${(p.seedRows / 1000).toFixed(0)}k rows</text>`,
      );
    }
  }
  // Linear guide: slope 1 from the smallest point at the first size.
  const y0 = Math.min(...lines.map((l) => l.points[0][1]));
  parts.push(
    `<line x1="${x(xMin)}" y1="${y(y0).toFixed(1)}" x2="${x(xMax)}" y2="${y(Math.min(yMax, (y0 * xMax) / xMin)).toFixed(1)}" stroke="#999" stroke-dasharray="1 3"/>`,
  );
  for (const l of lines) {
    const d = l.points.map(([sx, sy], i) => `${i ? 'L' : 'M'}${x(sx).toFixed(1)},${y(sy).toFixed(1)}`).join(' ');
    const dash = l.engine === 'postgres' ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<path d="${d}" fill="none" stroke="${l.color}" stroke-width="2"${dash}><title>${esc(`${l.engine}: ${l.step}`)}</title></path>`,
    );
    for (const [sx, sy] of l.points) parts.push(`<circle cx="${x(sx).toFixed(1)}" cy="${y(sy).toFixed(1)}" r="2.5" fill="${l.color}"/>`);
  }
  let ly = M.top + 4;
  const lx = M.left + pw + 16;
  steps.forEach((step, i) => {
    parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 30}" y="${ly + 4}">${esc(step)}</text>`);
    ly += 18;
  });
  ly += 8;
  parts.push(
    `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="#333" stroke-width="2"/><text x="${lx + 30}" y="${ly + 4}">PGlite (embedded)</text>`,
  );
  ly += 18;
  parts.push(
    `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="#333" stroke-width="2" stroke-dasharray="6 4"/><text x="${lx + 30}" y="${ly + 4}">Postgres (--db-url)</text>`,
  );
  ly += 18;
  parts.push(
    `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="#999" stroke-dasharray="1 3"/><text x="${lx + 30}" y="${ly + 4}">linear (slope 1)</text>`,
  );
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`, '</svg>');
  return `${parts.join('\n')}\n`;
}
