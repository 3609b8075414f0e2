/**
 * supabase-js types, key by key against the real Supabase CLI (npm `supabase`, v3, `gen types typescript
 * --remote=<url>`, no Docker): on each of the five examples, and on a schema with the shapes real projects have (an
 * enum in a schema that is not exported, domains, views over auth.users joined to tables, outer joins, GROUP BY,
 * views over views, a materialized view, an INSTEAD OF trigger, computed fields and computed relationships, setof
 * functions with and without `rows 1`, RETURNS TABLE, overloads PostgREST cannot tell apart, unnamed arguments).
 * Every example and the schema are built on each engine: PGlite and Postgres give the same text, and on Postgres the
 * CLI gives the same facts (test/types/structure.ts) except the differences listed here with their reason.
 *
 * The CLI comparison is skipped only when the binary is not installed and not required (see supabaseCliRequired:
 * under CI a missing binary fails), or when there is no PostgreSQL test server (never under CI).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine, reset } from '../../src/index.js';
import { generateSupabaseTypes } from '../../src/features/typegen/supabase-js-read.js';
import { engineNames, pgAdminUrl } from '../support/postgres.js';
import { makeProject, targetFor } from '../support/projects.js';
import { openSupabaseCli, supabaseCliRequired } from '../support/supabase-cli.js';
import { compareSupabaseTypes, supabaseTypesFacts } from '../types/structure.js';

const EXAMPLES = ['scalemate', 'ai-workflow-builder', 'renubu', 'srvc-crm', 'vibecraft'];
const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');

const cli = pgAdminUrl() ? await openSupabaseCli() : undefined;
const required = supabaseCliRequired();
if (required && pgAdminUrl() && !cli) throw new Error('the Supabase CLI is required here (CI) but was not found');
afterAll(async () => {
  await cli?.dispose();
});

function copyExample(name: string): string {
  const p = makeProject();
  fs.cpSync(path.join(EXAMPLES_DIR, name, 'supabase'), path.join(p.root, 'supabase'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.keel`),
  });
  return p.root;
}

/** A workdir holding only a minimal supabase/config.toml, which `supabase gen types` insists on. */
function cliWorkdir(): string {
  const p = makeProject({ 'config.toml': 'project_id = "keel-typegen"\n' });
  return p.root;
}

async function cliTypes(url: string, schemas: string[]): Promise<string> {
  const r = await cli!.run(['gen', 'types', 'typescript', ...cli!.dbArgs(url), '--schema', schemas.join(',')], { workdir: cliWorkdir() });
  if (r.code !== 0) throw new Error(`supabase gen types failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function renderAt(engineName: 'pglite' | 'postgres', root: string, url: string | undefined, schemas: string[]): Promise<string> {
  const engine = await openEngine(
    engineName === 'postgres' ? { kind: 'postgres', url: url! } : { kind: 'pglite', dataDir: path.join(root, 'supabase/.keel/pglite') },
  );
  try {
    return await generateSupabaseTypes(engine, schemas);
  } finally {
    await engine.close();
  }
}

/**
 * Builds the project on every engine and renders its types; on Postgres also returns the CLI's differences.
 * PGlite and Postgres must give the same text.
 */
async function buildAndCompare(root: () => string, schemas: string[]): Promise<{ text: string; cliDiffs: string[] | undefined }> {
  const texts: Partial<Record<'pglite' | 'postgres', string>> = {};
  let cliDiffs: string[] | undefined;
  for (const engineName of engineNames) {
    const target = await targetFor(engineName);
    try {
      const dir = root();
      await reset({ cwd: dir, ...target.options, yes: true });
      texts[engineName] = await renderAt(engineName, dir, target.url, schemas);
      if (engineName === 'postgres' && cli) cliDiffs = compareSupabaseTypes(texts.postgres!, await cliTypes(target.url!, schemas));
    } finally {
      await target.drop();
    }
  }
  if (texts.postgres !== undefined) expect(texts.postgres).toBe(texts.pglite);
  return { text: texts.pglite!, cliDiffs };
}

describe('supabase-js types of the examples', () => {
  it.each(EXAMPLES)('%s: same text on every engine, the same as the Supabase CLI key by key', async (example) => {
    const { text, cliDiffs } = await buildAndCompare(() => copyExample(example), ['public']);
    expect(text).toMatch(/^export type Json =/);
    expect([...supabaseTypesFacts(text).keys()].some((k) => k.startsWith('public.Tables.'))).toBe(true);
    if (cli) expect(cliDiffs).toEqual([]);
  });
});

/** The shapes real projects have, which the examples lack. */
const PLATFORM_SQL = `
create schema private;
create type private.tier as enum ('free', 'pro');
create type public.mood as enum ('happy', 'sad');
create domain public.posint as integer check (value > 0);
create domain public.email as text not null check (value like '%@%');
create domain public.tags as text[];
create type public.addr as (street text, zip integer, m public.mood, t private.tier, p public.posint, arr int[]);
create type private.secret_pair as (k text, v text);
create table public.teams (id uuid primary key default gen_random_uuid(), name text not null, tier private.tier not null default 'free');
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  team_id uuid references public.teams (id),
  handle public.email,
  bio text,
  labels public.tags,
  score public.posint not null default 1,
  tier private.tier,
  pair private.secret_pair,
  home public.addr,
  created_at timestamptz not null default now()
);
create table public.posts (
  id bigint generated by default as identity primary key,
  author_id uuid not null references public.profiles (id),
  team_id uuid not null references public.teams (id),
  title text not null,
  body text,
  unique (author_id, id)
);
create table public.settings (profile_id uuid primary key references public.profiles (id), theme text);
create view public.profile_cards as
  select p.id, p.handle, p.score, u.email as auth_email, u.created_at as joined_at, t.name as team_name, p.team_id,
         p.score + 1 as score_plus, coalesce(p.bio, '') as bio
    from public.profiles p join auth.users u on u.id = p.id left join public.teams t on t.id = p.team_id;
create view public.team_posts as select t.id as team_id, t.name, x.id as post_id, x.title from public.teams t left join public.posts x on x.team_id = t.id;
create view public.simple_posts as select id, author_id, title from public.posts;
create view public.nested as select s.id, s.title from public.simple_posts s;
comment on column public.team_posts.post_id is '@notNull';
create materialized view public.post_counts as select author_id, count(*) as n from public.posts group by author_id;
create function public.profile_posts(p public.profiles) returns setof public.posts language sql stable as $$ select * from public.posts where author_id = p.id $$;
create function public.post_author(public.posts) returns setof public.profiles rows 1 language sql stable as $$ select * from public.profiles where id = $1.author_id $$;
create function public.full_title(post public.posts) returns text language sql stable as $$ select post.title $$;
create function public.team_of(p public.profiles) returns public.teams language sql stable as $$ select * from public.teams where id = p.team_id $$;
create function public.search_posts(q text, lim int default 10) returns setof public.posts language sql stable as $$ select * from public.posts where title ilike q limit lim $$;
create function public.top_authors(n int) returns table (author uuid, total bigint) language sql stable as $$ select author_id, count(*) from public.posts group by 1 limit n $$;
create function public.get_addr() returns public.addr language sql as $$ select null::public.addr $$;
create function public.over(a int) returns int language sql as 'select a';
create function public.over(a text) returns text language sql as 'select a';
create function public.over2(a int) returns int language sql as 'select a';
create function public.over2(b text, c int default 1) returns text language sql as 'select b';
create function public.body_fn(jsonb) returns jsonb language sql as 'select $1';
create function public.body_text(text) returns text language sql as 'select $1';
create function public.body_varchar(varchar) returns text language sql as 'select $1';
create function public.dom(p public.posint) returns public.posint language sql as 'select p';
create function public.tiers(t private.tier) returns private.tier[] language sql as 'select array[t]';
create function public.moods() returns setof public.mood language sql as $$ select 'happy'::public.mood $$;
create function public.nothing() returns void language sql as 'select';
create function public.pairs() returns setof private.secret_pair language sql as $$ select null::private.secret_pair $$;
create function public.auth_user() returns setof auth.users language sql as $$ select * from auth.users $$;
create function public.outs(a int, out b int, out c text) language sql as 'select a, a::text';
create function public.trg() returns trigger language plpgsql as 'begin return new; end';
create view public.writable_profiles as select id, bio, score from public.profiles;
create view public.trig_view as select id, bio from public.profiles where bio is not null group by id, bio;
create function public.trig_view_ins() returns trigger language plpgsql as 'begin return new; end';
create trigger trig_view_ins instead of insert on public.trig_view for each row execute function public.trig_view_ins();
`;

/** Differences Keel keeps on purpose, each with its reason. */
const KNOWN_DIFFERENCES = [
  // Domains: the CLI resolves a domain to its base type only for table and view columns; for composite attributes
  // and function arguments and results it writes `unknown`. Keel resolves domains everywhere (PostgREST sends the
  // base type's JSON).
  'public.CompositeTypes.addr.p: keel `null|number`, cli `unknown`',
  'public.Functions.dom.Args.p: keel `number`, cli `unknown`',
  'public.Functions.dom.Returns: keel `number`, cli `unknown`',
];

describe('supabase-js types of the platform shapes', () => {
  it('same text on every engine, the same as the Supabase CLI key by key but for the listed differences', async () => {
    const { text, cliDiffs } = await buildAndCompare(
      () => makeProject({ 'migrations/20240101000000_platform.sql': PLATFORM_SQL }).root,
      ['public'],
    );
    expect(text).toContain('profile_cards');
    if (cli) expect(cliDiffs).toEqual(KNOWN_DIFFERENCES);
  });
});
