/**
 * A generated project for the scaling bench (bench/scaling.js), `scale` copies of one unit shaped like the largest
 * example (examples/ai-workflow-builder: 14 tables, 17 functions, 17 triggers, 51 policies in 15 policy files, an RLS
 * spec covering every table). One unit `uNNN` is:
 *
 * - 10 migration files: teams + members + the unit's updated_at trigger function; six files of two item tables each
 *   (uuid keys, team and owner foreign keys, a parent foreign key to the previous item table, a status check, soft
 *   delete on every third); team_id indexes; 14 SQL/plpgsql functions; a column added to two tables;
 * - 15 policy files: the unit's is_member/has_role helpers, then one `<table>_rls.sql` per table (4 policies each);
 * - one seed file of `rowsPerUnit` rows (default 10,000, so 100× is 1,000,000) over the unit's two teams;
 * - 14 tables in supabase/tests/rls.yaml (personas anon, alice, bob, service; select/insert/update/delete cells).
 *
 * Shared by all units: one roles file (grants on all tables), one seed file of the four auth users. Every dimension
 * grows by exactly `scale` (migrations 10/100/1,000 files; seed rows 10k/100k/1M; tables 14/140/1,400).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const UNIT = { migrations: 10, tables: 14, policyFiles: 15, functions: 17, rowsPerUnit: 10_000 };
const ITEM_TABLES = 12;
const USERS = {
  alice: '00000000-0000-0000-0000-00000000000a',
  bob: '00000000-0000-0000-0000-00000000000b',
  carol: '00000000-0000-0000-0000-00000000000c',
  dave: '00000000-0000-0000-0000-00000000000d',
};

/** The uuid Postgres computes as `md5(text)::uuid`. */
const md5uuid = (text) =>
  crypto
    .createHash('md5')
    .update(text)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
const pad = (n, w) => String(n).padStart(w, '0');
const item = (u, t) => `${u}_t${pad(t, 2)}`;

/** The team ids of unit `u` (team A is Alice's, team B is Bob's). */
const teams = (u) => ({ a: md5uuid(`${u}team1`), b: md5uuid(`${u}team2`) });
/** Row `i` (1-based) of item table `t`: its id; odd rows are team A's (Alice's), even rows team B's (Bob's). */
const itemId = (u, t, i) => md5uuid(`${u}t${t}:${i}`);

function unitMigrations(u) {
  const table = (t) => {
    const name = item(u, t);
    const parent = t > 1 ? `\n  parent_id uuid references public.${item(u, t - 1)} (id) on delete set null,` : '';
    const soft = t % 3 === 0 ? '\n  deleted_at timestamptz,' : '';
    return `create table public.${name} (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.${u}_teams (id) on delete cascade,
  owner_id uuid not null references auth.users (id),${parent}
  title text not null,
  status text not null default 'open' check (status in ('open', 'done', 'archived')),
  amount numeric(12, 2) not null default 0,
  meta jsonb not null default '{}'::jsonb,${soft}
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger ${name}_updated_at before update on public.${name} for each row execute function public.${u}_set_updated_at();
alter table public.${name} enable row level security;
comment on table public.${name} is 'Generated item table ${t} of unit ${u}.';
`;
  };
  const files = [
    [
      'create_teams',
      `create function public.${u}_set_updated_at() returns trigger language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;

create table public.${u}_teams (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  owner_id uuid not null references auth.users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger ${u}_teams_updated_at before update on public.${u}_teams for each row execute function public.${u}_set_updated_at();
alter table public.${u}_teams enable row level security;

create table public.${u}_members (
  team_id uuid not null references public.${u}_teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'editor', 'member')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index ${u}_members_user_id_idx on public.${u}_members (user_id);
create trigger ${u}_members_updated_at before update on public.${u}_members for each row execute function public.${u}_set_updated_at();
alter table public.${u}_members enable row level security;
`,
    ],
  ];
  for (let f = 0; f < ITEM_TABLES / 2; f++) {
    files.push([`create_items_${pad(2 * f + 1, 2)}_${pad(2 * f + 2, 2)}`, `${table(2 * f + 1)}\n${table(2 * f + 2)}`]);
  }
  files.push([
    'index_item_teams',
    Array.from({ length: ITEM_TABLES }, (_, i) => `create index ${item(u, i + 1)}_team_id_idx on public.${item(u, i + 1)} (team_id);`).join(
      '\n',
    ) + '\n',
  ]);
  const summaries = Array.from(
    { length: ITEM_TABLES },
    (_, i) => `create function public.${item(u, i + 1)}_summary(p_team uuid) returns table (status text, n bigint)
language sql stable set search_path = '' as $$
  select t.status, count(*) from public.${item(u, i + 1)} t where t.team_id = p_team group by t.status
$$;`,
  );
  files.push([
    'create_functions',
    `${summaries.join('\n\n')}

create function public.${u}_team_stats(p_team uuid) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('items', (select count(*) from public.${item(u, 1)} t where t.team_id = p_team),
                            'members', (select count(*) from public.${u}_members m where m.team_id = p_team))
$$;

create function public.${u}_archive_item(p_id uuid) returns void
language plpgsql set search_path = '' as $$
begin
  update public.${item(u, 1)} set status = 'archived' where id = p_id;
  if not found then
    raise exception 'no item %', p_id using errcode = 'P0002';
  end if;
end $$;
`,
  ]);
  files.push([
    'add_item_notes',
    `alter table public.${item(u, 1)} add column notes text;\nalter table public.${item(u, 2)} add column notes text;\n`,
  ]);
  return files;
}

function unitPolicies(u) {
  const member = (col) => `public.${u}_is_member(${col})`;
  const files = [
    [
      `${u}_shared_rls_functions.sql`,
      `create or replace function public.${u}_is_member(p_team uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.${u}_members m where m.team_id = p_team and m.user_id = (select auth.uid()))
$$;

create or replace function public.${u}_has_role(p_team uuid, p_role text) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.${u}_members m where m.team_id = p_team and m.user_id = (select auth.uid()) and m.role = p_role)
$$;
`,
    ],
  ];
  const policyFile = (table, rules) => {
    const drops = rules.map(([name]) => `drop policy if exists "${name}" on public.${table};`).join('\n');
    const creates = rules.map(([name, body]) => `create policy "${name}" on public.${table} ${body};`).join('\n');
    return [`${table}_rls.sql`, `alter table public.${table} enable row level security;\n\n${drops}\n\n${creates}\n`];
  };
  files.push(
    policyFile(`${u}_teams`, [
      ['members read', `for select to authenticated using (${member('id')})`],
      ['owners create', 'for insert to authenticated with check (owner_id = (select auth.uid()))'],
      ['owners update', `for update to authenticated using (public.${u}_has_role(id, 'owner'))`],
      ['owners delete', 'for delete to authenticated using (owner_id = (select auth.uid()))'],
    ]),
    policyFile(`${u}_members`, [
      ['read own or team', `for select to authenticated using (user_id = (select auth.uid()) or ${member('team_id')})`],
      ['owners add', `for insert to authenticated with check (public.${u}_has_role(team_id, 'owner'))`],
      ['owners change', `for update to authenticated using (public.${u}_has_role(team_id, 'owner'))`],
      ['leave', 'for delete to authenticated using (user_id = (select auth.uid()))'],
    ]),
  );
  for (let t = 1; t <= ITEM_TABLES; t++) {
    files.push(
      policyFile(item(u, t), [
        ['team reads', `for select to authenticated using (${member('team_id')}${t % 3 === 0 ? ' and deleted_at is null' : ''})`],
        ['owner creates', `for insert to authenticated with check (owner_id = (select auth.uid()) and ${member('team_id')})`],
        ['team updates', `for update to authenticated using (${member('team_id')}) with check (${member('team_id')})`],
        ['owner deletes', 'for delete to authenticated using (owner_id = (select auth.uid()))'],
      ]),
    );
  }
  return files;
}

/** The unit's seed: two teams, their owners as members, then `rows - 4` item rows spread over the 12 item tables. */
function unitSeed(u, rows) {
  const { a, b } = teams(u);
  const per = Math.floor((rows - 4) / ITEM_TABLES);
  const lines = [
    `insert into public.${u}_teams (id, name, owner_id) values ('${a}', 'Team A ${u}', '${USERS.alice}'), ('${b}', 'Team B ${u}', '${USERS.bob}');`,
    `insert into public.${u}_members (team_id, user_id, role) values ('${a}', '${USERS.alice}', 'owner'), ('${b}', '${USERS.bob}', 'owner');`,
  ];
  for (let t = 1; t <= ITEM_TABLES; t++) {
    const parent = t > 1 ? `, md5('${u}t${t - 1}:' || i)::uuid` : '';
    lines.push(`insert into public.${item(u, t)} (id, team_id, owner_id${t > 1 ? ', parent_id' : ''}, title, status, amount)
select md5('${u}t${t}:' || i)::uuid,
       case when i % 2 = 1 then '${a}'::uuid else '${b}'::uuid end,
       case when i % 2 = 1 then '${USERS.alice}'::uuid else '${USERS.bob}'::uuid end${parent},
       'item ' || i, case when i % 5 = 0 then 'done' else 'open' end, (i % 1000) / 10.0
  from generate_series(1, ${per}) i;`);
  }
  return { sql: `${lines.join('\n')}\n`, rows: 4 + per * ITEM_TABLES, perTable: per };
}

/** rls.yaml entries for unit `u` (alice sees team A's rows, bob team B's, anon none, service all). */
function unitSpec(u, perTable) {
  const { a, b } = teams(u);
  const aRows = Math.ceil(perTable / 2);
  const lines = [
    `  public.${u}_teams:`,
    '    select: { anon: none, alice: { ids: [' + a + '] }, bob: { ids: [' + b + '] }, service: all }',
    `    insert: { row: { name: Probe, owner_id: ${USERS.alice} }, anon: deny, alice: allow, bob: deny, service: allow }`,
    `    update: { where: { id: ${a} }, set: { name: Renamed }, anon: deny, alice: allow, bob: deny, service: allow }`,
    `    delete: { where: { id: ${a} }, anon: deny, alice: allow, bob: deny, service: allow }`,
    `  public.${u}_members:`,
    '    select: { anon: none, alice: 1, bob: 1, service: all }',
    `    insert: { row: { team_id: ${a}, user_id: ${USERS.bob} }, anon: deny, alice: allow, bob: deny, service: allow }`,
    `    update: { where: { team_id: ${b} }, set: { role: editor }, anon: deny, alice: deny, bob: allow, service: allow }`,
    `    delete: { where: { team_id: ${b} }, anon: deny, alice: deny, bob: allow, service: allow }`,
  ];
  for (let t = 1; t <= ITEM_TABLES; t++) {
    const first = itemId(u, t, 1); // team A's, Alice's
    lines.push(
      `  public.${item(u, t)}:`,
      `    select: { anon: none, alice: ${aRows}, bob: ${perTable - aRows}, service: all }`,
      `    insert: { row: { team_id: ${a}, owner_id: ${USERS.alice}, title: Probe }, anon: deny, alice: allow, bob: deny, service: allow }`,
      `    update: { where: { id: ${first} }, set: { title: Renamed }, anon: deny, alice: allow, bob: deny, service: allow }`,
      `    delete: { where: { id: ${first} }, anon: deny, alice: allow, bob: deny, service: allow }`,
    );
  }
  return lines.join('\n');
}

/**
 * Writes the project for `scale` units into `dir` (which must not hold a project yet). Returns what it holds.
 *
 * @example
 * const facts = writeScaleProject('/tmp/p', 10); // 100 migrations, 140 tables, 100,000 seed rows
 */
export function writeScaleProject(dir, scale, { rowsPerUnit = UNIT.rowsPerUnit } = {}) {
  const sup = path.join(dir, 'supabase');
  for (const d of ['migrations', 'policies', 'roles', 'seed', 'tests']) fs.mkdirSync(path.join(sup, d), { recursive: true });
  fs.writeFileSync(path.join(sup, 'keel.toml'), '# generated by bench/lib/scale-project.js\n[migrations]\nstyle = "sequential"\n');
  const width = Math.max(4, String(scale * UNIT.migrations + 1000).length);
  let version = 0;
  let rows = 4;
  const spec = [];
  for (let k = 0; k < scale; k++) {
    const u = `u${pad(k, 3)}`;
    for (const [name, sql] of unitMigrations(u)) {
      fs.writeFileSync(path.join(sup, 'migrations', `${pad(++version, width)}_${name}_${u}.sql`), `-- ${name} (${u})\n${sql}`);
    }
    for (const [file, sql] of unitPolicies(u)) fs.writeFileSync(path.join(sup, 'policies', file), sql);
    const seed = unitSeed(u, rowsPerUnit);
    rows += seed.rows;
    fs.writeFileSync(path.join(sup, 'seed', `${u}_seed.sql`), seed.sql);
    spec.push(unitSpec(u, seed.perTable));
  }
  fs.writeFileSync(
    path.join(sup, 'roles', '001_grant_api_privileges.sql'),
    `grant usage on schema public to anon, authenticated, service_role;
grant select on all tables in schema public to anon;
grant select, insert, update, delete on all tables in schema public to authenticated;
grant all on all tables in schema public to service_role;
grant execute on all functions in schema public to authenticated, service_role;
`,
  );
  const users = Object.entries(USERS)
    .map(([n, id]) => `('${id}', '${n}@scale.test', '{"provider": "email", "providers": ["email"]}', now())`)
    .join(',\n  ');
  fs.writeFileSync(
    path.join(sup, 'seed', '000_users.sql'),
    `insert into auth.users (id, email, raw_app_meta_data, email_confirmed_at)\nvalues\n  ${users}\non conflict (id) do nothing;\n`,
  );
  const personas = `personas:
  anon: { role: anon }
  alice: { role: authenticated, sub: ${USERS.alice} }
  bob: { role: authenticated, sub: ${USERS.bob} }
  service: { role: service_role }
`;
  fs.writeFileSync(
    path.join(sup, 'tests', 'rls.yaml'),
    `# generated by bench/lib/scale-project.js\n${personas}\ntables:\n${spec.join('\n')}\n`,
  );
  return {
    scale,
    migrations: version,
    tables: scale * UNIT.tables,
    functions: scale * UNIT.functions,
    policies: scale * UNIT.tables * 4,
    policyFiles: scale * UNIT.policyFiles,
    seedRows: rows,
    rlsTables: scale * UNIT.tables,
    nextVersion: () => pad(++version, width),
  };
}
