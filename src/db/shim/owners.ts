/**
 * Ownership as on the platform: each service's tables, views, sequences, types and functions belong to its admin role
 * (auth → supabase_auth_admin, storage → supabase_storage_admin, realtime → supabase_realtime_admin, supabase_functions
 * → supabase_functions_admin, vault and the schemas themselves → supabase_admin), so migrations that `alter … owner to`
 * those roles, or grant on the objects, meet what they expect. Only when the connecting user is a superuser (PGlite, a
 * local server): anyone else would then be a non-owner without BYPASSRLS on tables that have RLS, and could no longer
 * seed storage.buckets or auth.users. The webhook trigger function stays with the installer, so it may call whatever
 * pg_net stand-in the project installs later.
 */
export const OWNERS_SQL = `
do $keel$
declare
  s record;
  o record;
begin
  if not (select rolsuper from pg_roles where rolname = current_user) then
    return;
  end if;
  for s in select * from (values ('auth', 'supabase_auth_admin'), ('storage', 'supabase_storage_admin'),
      ('realtime', 'supabase_realtime_admin'), ('supabase_functions', 'supabase_functions_admin'), ('vault', 'supabase_admin'),
      ('graphql_public', 'supabase_admin')) v(schema, owner) loop
    execute format('alter schema %I owner to supabase_admin', s.schema);
    for o in select c.relname, c.relkind from pg_class c
              where c.relnamespace = s.schema::regnamespace and c.relkind in ('r', 'v', 'p')
                and pg_get_userbyid(c.relowner) <> s.owner loop
      execute format('alter %s %I.%I owner to %I', case o.relkind when 'v' then 'view' else 'table' end, s.schema, o.relname, s.owner);
    end loop;
    for o in select t.typname from pg_type t where t.typnamespace = s.schema::regnamespace and t.typtype = 'e' loop
      execute format('alter type %I.%I owner to %I', s.schema, o.typname, s.owner);
    end loop;
    for o in select p.oid::regprocedure as fn from pg_proc p
              where p.pronamespace = s.schema::regnamespace and p.oid <> 'supabase_functions.http_request()'::regprocedure loop
      execute format('alter function %s owner to %I', o.fn, s.owner);
    end loop;
  end loop;
end $keel$;`;
