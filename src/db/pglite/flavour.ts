import { createHash } from 'node:crypto';
import type { Queryable } from '../engine.js';
import { installShim, shimFingerprint } from '../shim/supabase-shim.js';
import { installSecretHelpers, SECRET_HELPERS_SQL } from '../shim/secrets.js';
import { extensionModules } from './extensions.js';
import { cachedTemplate, cachedTemplateDir } from './template.js';
import { buildTemplate, startWorker, type PgliteWorker } from './worker-client.js';
import { makeDirs } from '../../core/fs.js';

/**
 * What a new embedded database starts as. 'bare': initdb's database. 'supabase': that, with the Supabase platform shim
 * and Keel's secret helpers already installed, exactly as every Keel command installs them on first use; its cached
 * template is keyed by the shim's SQL, so a new shim builds a new template. Commands open with 'supabase' (installing
 * the shim into each fresh database took 0.5–1.4 s; loading it with the template costs nothing extra); the library's
 * `openEngine` keeps 'bare' unless asked.
 */
export type TemplateFlavour = 'bare' | 'supabase';

function cacheKey(flavour: TemplateFlavour): string {
  if (flavour === 'bare') return '';
  return `supabase-${createHash('sha256').update(`${shimFingerprint()}\n${SECRET_HELPERS_SQL}`).digest('hex').slice(0, 12)}`;
}

/** The flavour's template tarball, built once and cached (see cachedTemplate). */
export function templateTarball(flavour: TemplateFlavour): Promise<Uint8Array> {
  if (flavour === 'bare') return cachedTemplate(buildTemplate);
  return cachedTemplate(buildSupabaseTemplate, cacheKey(flavour));
}

/** The flavour's template unpacked into a data dir, cached; undefined when the cache is not writable. */
export function templateDir(flavour: TemplateFlavour): Promise<string | undefined> {
  return cachedTemplateDir((into) => materializeTemplate(into, flavour), cacheKey(flavour));
}

/** The bare template opened in memory, the shim and helpers installed in one transaction, and the result dumped. */
async function buildSupabaseTemplate(): Promise<Uint8Array> {
  const w = await startWorker({ template: await templateTarball('bare'), extensions: extensionModules([]) }, 120_000);
  try {
    const db: Queryable = {
      query: (sql, params) => w.call({ op: 'query', sql, params }),
      exec: (sql) => w.call({ op: 'exec', sql }),
    };
    await db.exec('begin');
    await installShim(db);
    await installSecretHelpers(db);
    await db.exec('commit');
    const bytes = await w.call<Uint8Array>({ op: 'dump' });
    await w.call({ op: 'close' });
    return bytes;
  } finally {
    await w.terminate();
  }
}

/** Unpacks the flavour's tarball into `into` by opening PGlite there once and shutting it down cleanly. */
async function materializeTemplate(into: string, flavour: TemplateFlavour): Promise<void> {
  const template = await templateTarball(flavour);
  makeDirs(into);
  const w: PgliteWorker = await startWorker({ dataDir: into, template, extensions: [] }, 120_000);
  try {
    await w.call({ op: 'close' });
  } finally {
    await w.terminate();
  }
}
