import fs from 'node:fs';
import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/support/sequencer.js';

// Temp projects, data dirs and the test server go to memory (tmpfs) where there is one: the tests create tens of
// thousands of small files (a new PGlite data dir is 1,200 files), and on this project's CI disk each file creation
// costs ~0.8 ms against ~0.06 ms on /dev/shm. KEEL_TEST_TMPDIR (or TMPDIR set by the caller) wins.
const TMP = process.env.KEEL_TEST_TMPDIR ?? (process.env.TMPDIR ? undefined : memoryTmp());
if (TMP) process.env.TMPDIR = TMP;

function memoryTmp(): string | undefined {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}

// Tests run the TypeScript sources directly (no build needed). A real PostgreSQL server is started once per run by
// test/support/global-setup.ts (or taken from KEEL_TEST_DATABASE_URL); see test/support/postgres.ts for helpers.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup-file.ts'],
    // Files share a worker process instead of a fresh module graph each: Keel's modules, pg and PGlite's JS are imported
    // once per worker, not once per file (test/unit: 9.4 s → 3.6 s). Tests restore what they change in process.env.
    isolate: false,
    pool: 'forks',
    // longest files first (test/support/durations.json), so no long file is left to run alone at the end
    sequence: { sequencer: LongestFirstSequencer },
    // Two files at a time even on 2 cores (vitest's default there is one): most of a test's time is spent waiting on
    // another process (the Postgres server, a CLI child, PGlite's worker thread), so two overlap well.
    maxWorkers: 2,
    // Opening PGlite takes 1-3 s and a local server start ~1 s; keep generous limits for slow CI machines.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
