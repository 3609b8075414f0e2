/**
 * Each rule the Supabase CLI applies beyond the catalog, proven on its own on both engines (the CLI comparison of
 * the same rules is in typegen-supabase-js.test.ts): view columns proven NOT NULL through joins, GROUP BY, views over
 * views and `@notNull`; outer-join sides and expressions stay nullable; writable views from the server; relationships
 * through views; computed fields; SetofOptions and `rows 1`; overloads PostgREST cannot tell apart; enums and NOT NULL
 * domains of a schema that is not exported; functions the CLI leaves out.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/index.js';
import { generateSupabaseTypes } from '../../src/features/typegen/supabase-js-read.js';
import { createTestDatabase, engineNames, type TestDatabase } from '../support/postgres.js';
import { supabaseTypesFacts } from '../types/structure.js';

const SQL = `
create schema private;
create type private.tier as enum ('free', 'pro');
create domain private.code as text not null;
create table public.teams (id uuid primary key, name text not null, tier private.tier, code private.code);
create table public.members (id bigint primary key, team_id uuid not null references public.teams (id), nick text);
create view public.member_teams as
  select m.id, m.nick, t.name as team_name, m.team_id, upper(t.name) as shout from public.members m join public.teams t on t.id = m.team_id;
create view public.team_members as select t.id, t.name, m.id as member_id from public.teams t left join public.members m on m.team_id = t.id;
create view public.team_sizes as select team_id, count(*) as n from public.members group by team_id;
create view public.member_ids as select id, team_id from public.member_teams;
create view public.noted as select nick from public.members;
comment on column public.noted.nick is '@notNull';
create function public.member_team(m public.members) returns setof public.teams rows 1 language sql stable as 'select * from public.teams where id = m.team_id';
create function public.team_members_of(t public.teams) returns setof public.members language sql stable as 'select * from public.members where team_id = t.id';
create function public.pick(a int) returns int language sql as 'select a';
create function public.pick(a text) returns text language sql as 'select a';
create function public.raw(varchar) returns text language sql as 'select $1';
`;

let text: Record<string, string> = {};
const opened: { engine: Engine; db?: TestDatabase }[] = [];

beforeAll(async () => {
  for (const name of engineNames) {
    let db: TestDatabase | undefined;
    let engine: Engine;
    if (name === 'postgres') {
      db = await createTestDatabase('typegen_rules');
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(SQL);
      await client.end();
      engine = await openEngine({ kind: 'postgres', url: db.url });
    } else {
      engine = await openEngine({ kind: 'pglite', memory: true });
      await engine.exec(SQL);
    }
    opened.push({ engine, db });
    text = { ...text, [name]: await generateSupabaseTypes(engine, ['public']) };
  }
});

afterAll(async () => {
  for (const { engine, db } of opened) {
    await engine.close();
    await db?.drop();
  }
});

describe.each(engineNames)('%s: supabase-js rules beyond the catalog', (name) => {
  const f = () => supabaseTypesFacts(text[name]!);

  it('proves view columns NOT NULL from their base columns, through joins, views, GROUP BY and @notNull', () => {
    const facts = f();
    expect(facts.get('public.Views.member_teams.Row.id')).toBe('number');
    expect(facts.get('public.Views.member_teams.Row.team_name')).toBe('string');
    expect(facts.get('public.Views.member_teams.Row.nick')).toBe('null|string');
    expect(facts.get('public.Views.member_teams.Row.shout')).toBe('null|string');
    expect(facts.get('public.Views.team_members.Row.id')).toBe('string');
    expect(facts.get('public.Views.team_members.Row.member_id')).toBe('null|number');
    expect(facts.get('public.Views.team_sizes.Row.team_id')).toBe('string');
    expect(facts.get('public.Views.member_ids.Row.team_id')).toBe('string');
    expect(facts.get('public.Views.noted.Row.nick')).toBe('string');
  });

  it('gives Insert/Update to views the server can write, with `never` for columns it cannot', () => {
    const facts = f();
    expect(facts.get('public.Views.noted')).toBe('{ComputedFields,Insert,Relationships,Row,Update}');
    expect(facts.get('public.Views.member_teams')).toBe('{ComputedFields,Relationships,Row}');
    expect(facts.get('public.Views.team_sizes')).toBe('{ComputedFields,Relationships,Row}');
  });

  it('lists relationships through views, from and to them', () => {
    const facts = f();
    expect(facts.get('public.Views.member_ids.Relationships')).toContain('referencedRelation:"teams"');
    expect(facts.get('public.Tables.members.Relationships')).toContain('referencedRelation:"team_members"');
  });

  it('exposes computed fields and relationships with SetofOptions; rows 1 is one-to-one', () => {
    const facts = f();
    expect(facts.get('public.Tables.members.ComputedFields')).toBe('"member_team"');
    expect(facts.get('public.Tables.members.Row.member_team')).toBe('null|{code:string;id:string;name:string;tier:"free"|"pro"|null}');
    expect(facts.get('public.Functions.member_team.SetofOptions.isOneToOne')).toBe('true');
    expect(facts.get('public.Functions.member_team.Returns')).not.toMatch(/\[\]$/);
    expect(facts.get('public.Functions.team_members_of.SetofOptions.isOneToOne')).toBe('false');
    expect(facts.get('public.Functions.team_members_of.Returns')).toMatch(/\}\[\]$/);
    expect(facts.get('public.Functions.team_members_of.Args.t')).toBe(
      'Omit<Database["public"]["Tables"]["teams"]["Row"],Database["public"]["Tables"]["teams"]["ComputedFields"]>',
    );
  });

  it('marks overloads PostgREST cannot choose between, and leaves out what it cannot call', () => {
    const facts = f();
    expect(facts.get('public.Functions.pick')).toContain('{error:true}');
    expect(facts.get('public.Functions.pick')).toContain(
      'Couldnotchoosethebestcandidatefunctionbetween:public.pick(a=>int4),public.pick(a=>text)',
    );
    expect(facts.has('public.Functions.raw')).toBe(false);
  });

  it('inlines enums of schemas not exported and reads NOT NULL domains of any schema', () => {
    const facts = f();
    expect(facts.get('public.Tables.teams.Row.tier')).toBe('"free"|"pro"|null');
    expect(facts.get('public.Tables.teams.Row.code')).toBe('string');
    expect(facts.get('public.Tables.teams.Insert.code')).toBe('string');
  });

  it('is the same text on every engine', () => {
    for (const other of engineNames) expect(text[other]).toBe(text[name]);
  });
});
