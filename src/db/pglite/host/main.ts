/**
 * The engine host process: `node dist/db/pglite/host/main.js <dataDir> [idleMs]` (started detached by startEngineHost).
 * Exits by itself after the idle timeout with no client; SIGTERM / SIGINT close PGlite cleanly first.
 */
import path from 'node:path';
import { EngineHost } from './server.js';
import { DEFAULT_HOST_IDLE_MS } from './state.js';

const [dirArg, idleArg] = process.argv.slice(2);
if (!dirArg) {
  process.stderr.write('usage: main.js <dataDir> [idleMs]\n');
  process.exit(2);
}
const idleMs = Number(idleArg) || Number(process.env.KEEL_ENGINE_IDLE_MS) || DEFAULT_HOST_IDLE_MS;
const host = new EngineHost(path.resolve(dirArg), idleMs);

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => void host.stop(`got ${signal}`).finally(() => process.exit(0)));
}

host.start().catch(async (err: Error) => {
  process.stderr.write(`${new Date().toISOString()} could not start: ${err.message}\n`);
  await host.stop('start-up failed').catch(() => undefined);
  process.exit(1);
});
