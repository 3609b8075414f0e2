/**
 * Printing: the comparison table, every measured series with min/max, and bench/results/latest.json.
 */
import fs from 'node:fs';
import path from 'node:path';

const s3 = (x) => (x === undefined ? '—' : x.toFixed(3));

/** Plain-text table with a header rule; columns are padded to their widest cell. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)].join('\n');
}

/**
 * A comparison row: keel's series against a peer series (ratio goal) or against an absolute goal in seconds.
 * `goal` is { ratio: 1.2 } or { seconds: 1.0 }, or undefined for an informational row.
 */
export function compare(scenario, keel, peer, goal) {
  const ratio = peer ? keel.median / peer.median : undefined;
  let met;
  if (goal?.ratio !== undefined && ratio !== undefined) met = ratio <= goal.ratio;
  if (goal?.seconds !== undefined) met = keel.median <= goal.seconds;
  const goalText =
    goal?.ratio !== undefined ? `≤ ${goal.ratio.toFixed(2)}×` : goal?.seconds !== undefined ? `≤ ${goal.seconds.toFixed(2)} s` : 'info';
  return { scenario, keelMedian: keel.median, peerMedian: peer?.median, ratio, goal: goalText, met };
}

export function comparisonTable(rows) {
  const header = ['scenario', 'keel median (s)', 'peer median (s)', 'ratio (keel/peer)', 'goal', 'met?'];
  const cells = rows.map((r) => [
    r.scenario,
    s3(r.keelMedian),
    s3(r.peerMedian),
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`,
    r.goal,
    r.met === undefined ? '—' : r.met ? 'yes' : 'NO',
  ]);
  return table(header, cells);
}

/** Every series: what it includes, n, median, min, max, and the warm-up times. */
export function seriesTable(series) {
  const header = ['series', 'n', 'median (s)', 'min (s)', 'max (s)', 'warm-up (s)'];
  const cells = Object.entries(series).map(([name, s]) => [
    name,
    s.n,
    s3(s.median),
    s3(s.min),
    s3(s.max),
    s.warmup.map(s3).join(', ') || '—',
  ]);
  return table(header, cells);
}

export function writeJson(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const round = (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v); // seconds to 0.1 ms
  fs.writeFileSync(file, `${JSON.stringify(data, round, 2)}\n`);
}
