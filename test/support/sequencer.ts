/**
 * vitest's file order: the longest files first, by test/support/durations.json (recorded from a run; see
 * record-durations.mjs), files it does not know yet before all of them. vitest's own order needs its results cache,
 * which a clean clone (CI) does not have: it then starts the largest files first, by bytes, and a small file that runs
 * for minutes (a reliability check) started last and ran alone for its whole length at the end of the run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const DURATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'durations.json');

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = JSON.parse(fs.readFileSync(DURATIONS, 'utf8')) as Record<string, number>;
    const root = this.ctx.config.root;
    const weight = (f: TestSpecification) => seconds[path.relative(root, f.moduleId).split(path.sep).join('/')] ?? Infinity;
    return [...files].sort((a, b) => weight(b) - weight(a));
  }
}
