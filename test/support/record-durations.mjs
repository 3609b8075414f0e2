#!/usr/bin/env node
/**
 * Writes test/support/durations.json (seconds per test file) from a vitest JSON report, for test/support/sequencer.ts:
 *
 *   npx vitest run --reporter=json --outputFile=/tmp/vitest.json; node test/support/record-durations.mjs /tmp/vitest.json
 *
 * Only the order matters (longest first), so a report from a busy machine serves as well as a quiet one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const report = JSON.parse(fs.readFileSync(process.argv[2] ?? '/tmp/vitest.json', 'utf8'));
const out = {};
// the report may come from another checkout (a clean clone): keep the path from test/ on
const inRepo = (file) => /(?:^|\/)(test\/.*)$/.exec(path.relative(REPO, file).split(path.sep).join('/'))?.[1];
for (const t of report.testResults) {
  const file = inRepo(t.name);
  if (file) out[file] = Math.round((t.endTime - t.startTime) / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
fs.writeFileSync(path.join(REPO, 'test/support/durations.json'), `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`test/support/durations.json: ${Object.keys(sorted).length} files`);
