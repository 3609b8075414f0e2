/**
 * The benchmark fixture (examples/ai-workflow-builder), copied to a temp dir so the repo's copy is never touched,
 * and the exact SQL Keel sends, so the psql peer runs the same files in the same order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openProject } from '../../dist/index.js';
import { prepareDatabase } from '../../dist/commands/context.js';
import { loadProjectSql } from '../../dist/features/migrate/load.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE = path.join(REPO, 'examples/ai-workflow-builder');

/** Copies the fixture to `dest`, leaving out any embedded data dir (supabase/.keel) the example may have. */
export function copyFixture(dest) {
  fs.cpSync(FIXTURE, dest, { recursive: true, filter: (src) => path.basename(src) !== '.keel' });
  return dest;
}

/** Absolute paths of the SQL files a reset applies, in Keel's order: migrations, roles, policies, seeds. */
export async function resetFiles(projectDir) {
  const sql = await loadProjectSql(openProject(projectDir));
  const groups = { migrations: sql.migrations, roles: sql.roles, policies: sql.policies, seeds: sql.seeds };
  const counts = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, v.length]));
  const statements = Object.values(groups)
    .flat()
    .reduce((n, f) => n + f.statements.length, 0);
  const files = Object.values(groups)
    .flat()
    .map((f) => f.file.path);
  return { files, counts, statements };
}

/**
 * The SQL Keel sends to prepare a Postgres that is not Supabase (the Supabase shim and the keel.* secret helpers),
 * captured by running `prepareDatabase` against a recorder (its reads answer "nothing there yet").
 */
export async function shimSql() {
  const sent = [];
  const recorder = {
    query: async () => ({ rows: [], fields: [] }),
    exec: async (sql) => void sent.push(sql.trim()),
  };
  await prepareDatabase(recorder);
  return `-- Keel's Supabase shim and secret helpers, as prepareDatabase() sends them (captured by bench/lib/fixture.js)\n${sent.join('\n\n')}\n`;
}

/** {@link shimSql} written to `file`, for psql. */
export async function writeShimSql(file) {
  fs.writeFileSync(file, await shimSql());
  return file;
}
