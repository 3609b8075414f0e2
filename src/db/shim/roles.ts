/**
 * The platform's roles, as supabase/postgres' init scripts and migrations leave them (and the auth, storage, realtime and
 * webhook services add): attributes, memberships and the settings the API roles carry. Roles are cluster-wide, so
 * another database on the same server may have made them first; every step tolerates that. Two departures, on purpose:
 * no role is made SUPERUSER (supabase_admin is one on the platform) and none gets a password; where the connecting user
 * may not grant an attribute (REPLICATION, BYPASSRLS need a superuser) the role is made without it.
 */

/** name, attributes as the platform has them (LOGIN kept: without a password nobody can log in through password auth). */
export const PLATFORM_ROLES: readonly (readonly [string, string])[] = [
  ['anon', 'nologin inherit'],
  ['authenticated', 'nologin inherit'],
  ['service_role', 'nologin inherit bypassrls'],
  ['authenticator', 'login noinherit'],
  ['supabase_admin', 'login createrole createdb replication bypassrls'],
  ['supabase_auth_admin', 'login noinherit createrole'],
  ['supabase_storage_admin', 'login noinherit createrole'],
  ['supabase_functions_admin', 'login noinherit createrole'],
  ['supabase_realtime_admin', 'nologin noinherit'],
  ['supabase_replication_admin', 'login replication'],
  ['supabase_read_only_user', 'login bypassrls'],
  ['dashboard_user', 'nologin createrole createdb replication'],
  ['pgbouncer', 'login'],
  ['pgsodium_keyiduser', 'nologin'],
  ['pgsodium_keyholder', 'nologin'],
  ['pgsodium_keymaker', 'nologin'],
];

/** role → its members, as on the platform (`postgres` is added in SQL when the server has that role). */
const MEMBERSHIPS: readonly (readonly [string, string])[] = [
  ['anon', 'authenticator'],
  ['authenticated', 'authenticator'],
  ['service_role', 'authenticator'],
  ['authenticator', 'supabase_storage_admin'],
  ['pgsodium_keyiduser', 'pgsodium_keyholder'],
  ['pgsodium_keyholder', 'pgsodium_keymaker'],
  ['pgsodium_keyholder', 'service_role'],
  ['pg_read_all_data', 'supabase_read_only_user'],
];

/** Roles `postgres` is a member of on the platform. */
const POSTGRES_MEMBER_OF = [
  'anon',
  'authenticated',
  'service_role',
  'supabase_auth_admin',
  'supabase_storage_admin',
  'supabase_functions_admin',
  'supabase_realtime_admin',
  'pgsodium_keyiduser',
  'pgsodium_keyholder',
  'pgsodium_keymaker',
  'pg_read_all_data',
  'pg_monitor',
  'pg_signal_backend',
];

const values = (pairs: readonly (readonly [string, string])[]) => pairs.map(([a, b]) => `('${a}', '${b}')`).join(', ');

export const ROLES_SQL = `
do $keel$
declare r record;
begin
  for r in select * from (values ${values(PLATFORM_ROLES)}) v(name, attrs) loop
    if not exists (select from pg_roles where rolname = r.name) then
      begin
        execute format('create role %I %s', r.name, r.attrs);
      exception
        when duplicate_object or unique_violation then null; -- another database on this server made it first
        when insufficient_privilege then
          begin -- REPLICATION / BYPASSRLS need a superuser: make the role without them
            execute format('create role %I %s', r.name,
              regexp_replace(r.attrs, '\\s*\\m(replication|bypassrls|createrole|createdb)\\M', '', 'g'));
          exception when duplicate_object or unique_violation then null;
          end;
      end;
    end if;
  end loop;
  for r in select * from (values ${values(MEMBERSHIPS)}) v(role, member)
           union all select m, 'postgres' from unnest(array[${POSTGRES_MEMBER_OF.map((m) => `'${m}'`).join(', ')}]) m
                      where exists (select from pg_roles where rolname = 'postgres') loop
    if exists (select from pg_roles where rolname = r.role) and exists (select from pg_roles where rolname = r.member)
       and not pg_has_role(r.member, r.role, 'member') then
      begin
        execute format('grant %I to %I', r.role, r.member);
      exception when others then null; -- a managed server may refuse it; the membership is a convenience
      end;
    end if;
  end loop;
  -- the connecting user may act as the API roles (set role) and own objects for the service roles
  for r in select unnest(array['anon', 'authenticated', 'service_role', 'supabase_auth_admin', 'supabase_storage_admin',
                               'supabase_functions_admin', 'supabase_realtime_admin', 'supabase_admin']) as name loop
    if exists (select from pg_roles where rolname = r.name) and not pg_has_role(current_user, r.name, 'member') then
      begin
        execute format('grant %I to current_user', r.name);
      exception when others then null; -- superusers need no membership; managed servers may refuse it
      end;
    end if;
  end loop;
end $keel$;`;
