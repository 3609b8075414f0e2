/**
 * A generated project for the lint benchmark: `tables` tables over ten migration files, shaped like the seed apps —
 * uuid keys, a team foreign key (half of them indexed), timestamps with an updated_at trigger, RLS with policies
 * (some calling auth.uid() per row, some wrapped), a soft-delete column on every third table, a varchar on every
 * fifth, and shared helper functions in policies/.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeLintProject(dir, tables = 100) {
  const sup = path.join(dir, 'supabase');
  fs.mkdirSync(path.join(sup, 'migrations'), { recursive: true });
  fs.mkdirSync(path.join(sup, 'policies'), { recursive: true });
  const base = `create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index team_members_user_id_idx on public.team_members (user_id);
create function public.set_updated_at() returns trigger language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;
alter table public.teams enable row level security;
alter table public.team_members enable row level security;
`;
  fs.writeFileSync(path.join(sup, 'migrations', '001_base.sql'), base);
  const perFile = Math.ceil((tables - 2) / 9);
  let n = 0;
  for (let file = 2; file <= 10 && n < tables - 2; file++) {
    const parts = [];
    for (let i = 0; i < perFile && n < tables - 2; i++, n++) {
      const t = `items_${String(n).padStart(3, '0')}s`;
      parts.push(`create table public.${t} (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  owner_id uuid not null references auth.users (id),
  title ${n % 5 === 0 ? 'varchar(200)' : 'text'} not null,
  body jsonb not null default '{}'::jsonb,
  status text not null default 'open' check (status in ('open', 'done')),${n % 3 === 0 ? '\n  deleted_at timestamptz,' : ''}
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
${n % 2 === 0 ? `create index ${t}_team_id_idx on public.${t} (team_id);\n` : ''}create trigger ${t}_updated_at before update on public.${t} for each row execute function public.set_updated_at();
alter table public.${t} enable row level security;
`);
    }
    fs.writeFileSync(path.join(sup, 'migrations', `${String(file).padStart(3, '0')}_items_${file}.sql`), parts.join('\n'));
  }
  const policies = [
    `create function public.is_team_member(p_team_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.team_members m where m.team_id = p_team_id and m.user_id = (select auth.uid()))
$$;
create policy team_members_read on public.team_members for select to authenticated using (user_id = (select auth.uid()));
create policy teams_read on public.teams for select to authenticated using (public.is_team_member(id));
`,
  ];
  for (let i = 0; i < n; i++) {
    const t = `items_${String(i).padStart(3, '0')}s`;
    const uid = i % 4 === 0 ? 'auth.uid()' : '(select auth.uid())';
    policies.push(`create policy ${t}_read on public.${t} for select to authenticated using (public.is_team_member(team_id)${i % 3 === 0 ? ' and deleted_at is null' : ''});
create policy ${t}_write on public.${t} for all to authenticated using (owner_id = ${uid}) with check (owner_id = ${uid});
`);
  }
  fs.writeFileSync(path.join(sup, 'policies', 'rls.sql'), policies.join('\n'));
  return { tables: n + 2, files: 10 };
}
