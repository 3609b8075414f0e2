/**
 * vitest globalSetup: provides `pgAdminUrl`, a superuser URL on a real PostgreSQL server, to every test.
 *
 * - `KEEL_TEST_DATABASE_URL` set: that server is used as is (nothing is started).
 * - otherwise a throwaway local server is started from binaries (see src/db/postgres/local-server.ts) and stopped after
 *   the run.
 * - no server possible: under CI (`CI` set) the run fails; locally `pgAdminUrl` is null, tests for the postgres engine
 *   are skipped and one warning line is printed.
 */
import type { TestProject } from 'vitest/node';
import { KeelError } from '../../src/core/errors.js';
import { startLocalServer, type LocalServer } from '../../src/db/postgres/local-server.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** Superuser URL of the test server, or null when none could be started (never under CI). */
    pgAdminUrl: string | null;
  }
}

let server: LocalServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.KEEL_TEST_DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    return async () => undefined;
  }
  try {
    const started = Date.now();
    server = await startLocalServer();
    if (process.env.KEEL_TEST_VERBOSE) {
      console.log(`[keel tests] PostgreSQL ${server.version} from ${server.binDir} at ${server.url} (${Date.now() - started} ms)`);
    }
    project.provide('pgAdminUrl', server.url);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = err instanceof KeelError ? err.hint : undefined;
    if (process.env.CI) {
      const full = `${message}${hint ? `\nhint: ${hint}` : ''}`;
      throw new Error(`CI needs a PostgreSQL server for the postgres engine tests, and none could be started: ${full}`, { cause: err });
    }
    const reason = message.split('\n')[0];
    console.warn(
      `[keel tests] WARNING: no PostgreSQL server (${reason}); postgres-engine tests are skipped. Install PostgreSQL or set KEEL_TEST_DATABASE_URL.`,
    );
    project.provide('pgAdminUrl', null);
  }
  return async () => {
    await server?.stop();
    server = undefined;
  };
}
