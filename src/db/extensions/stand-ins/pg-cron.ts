/**
 * Stand-in for pg_cron: schema `cron` with `cron.job` and `cron.job_run_details` as pg_cron has them, and
 * `cron.schedule` (both signatures; a named job is updated in place, as pg_cron does), `cron.schedule_in_database`,
 * `cron.unschedule` (by id or name) and `cron.alter_job`. Jobs are recorded and never run; `job_run_details` stays
 * empty. Schedules are checked for shape (five fields, `@daily`…, `N seconds`) so a typo fails here as it would there.
 */
export function pgCronSql(): string {
  return `create schema cron;
create table cron.job (
  jobid bigserial primary key,
  schedule text not null,
  command text not null,
  nodename text not null default 'localhost',
  nodeport integer not null default 5432,
  database text not null default current_database(),
  username text not null default current_user,
  active boolean not null default true,
  jobname text,
  constraint jobname_username_uniq unique (jobname, username)
);
create table cron.job_run_details (
  jobid bigint,
  runid bigserial primary key,
  job_pid integer,
  database text,
  username text,
  command text,
  status text,
  return_message text,
  start_time timestamptz,
  end_time timestamptz
);
comment on schema cron is 'Keel stand-in for pg_cron: jobs are recorded in cron.job and never run';
create function cron._check_schedule(schedule text) returns void language plpgsql immutable as $keel$
declare
  f text[] := regexp_split_to_array(btrim(schedule), '\\s+');
  i int;
begin
  if schedule is null then
    raise exception 'invalid schedule: %', schedule using errcode = '22023';
  end if;
  if btrim(schedule) ~* '^@(yearly|annually|monthly|weekly|daily|midnight|hourly|reboot)$'
     or btrim(schedule) ~* '^[1-5]?[0-9] seconds?$' then
    return;
  end if;
  if array_length(f, 1) <> 5 then
    raise exception 'invalid schedule: %', schedule using errcode = '22023', hint = 'pg_cron takes five fields (minute hour day month weekday), @daily…, or "N seconds"';
  end if;
  for i in 1..5 loop
    if f[i] !~* '^(\\*|[0-9a-z]+(-[0-9a-z]+)?)(/[0-9]+)?(,(\\*|[0-9a-z]+(-[0-9a-z]+)?)(/[0-9]+)?)*$' and f[i] <> '$' then
      raise exception 'invalid schedule: %', schedule using errcode = '22023';
    end if;
  end loop;
end
$keel$;
create function cron.schedule(schedule text, command text) returns bigint language plpgsql as $keel$
declare id bigint;
begin
  perform cron._check_schedule(schedule);
  insert into cron.job (schedule, command) values (schedule, command) returning jobid into id;
  return id;
end
$keel$;
create function cron.schedule(job_name text, schedule text, command text) returns bigint language plpgsql as $keel$
declare id bigint;
begin
  perform cron._check_schedule(schedule);
  insert into cron.job (jobname, schedule, command) values (job_name, schedule, command)
    on conflict (jobname, username) do update set schedule = excluded.schedule, command = excluded.command
    returning jobid into id;
  return id;
end
$keel$;
create function cron.schedule_in_database(job_name text, schedule text, command text, database text, username text default null, active boolean default true)
returns bigint language plpgsql as $keel$
declare id bigint;
begin
  perform cron._check_schedule(schedule);
  insert into cron.job (jobname, schedule, command, database, username, active)
    values (job_name, schedule, command, database, coalesce(username, current_user), active)
    on conflict (jobname, username) do update
      set schedule = excluded.schedule, command = excluded.command, database = excluded.database, active = excluded.active
    returning jobid into id;
  return id;
end
$keel$;
create function cron.unschedule(job_id bigint) returns boolean language plpgsql as $keel$
begin
  delete from cron.job where jobid = job_id;
  if not found then
    raise exception 'could not find valid entry for job %', job_id;
  end if;
  return true;
end
$keel$;
create function cron.unschedule(job_name text) returns boolean language plpgsql as $keel$
begin
  delete from cron.job where jobname = job_name and username = current_user;
  if not found then
    raise exception 'could not find valid entry for job ''%''', job_name;
  end if;
  return true;
end
$keel$;
create function cron.alter_job(job_id bigint, schedule text default null, command text default null, database text default null, username text default null, active boolean default null)
returns void language plpgsql as $keel$
begin
  if schedule is not null then perform cron._check_schedule(schedule); end if;
  update cron.job j set
    schedule = coalesce(alter_job.schedule, j.schedule),
    command = coalesce(alter_job.command, j.command),
    database = coalesce(alter_job.database, j.database),
    username = coalesce(alter_job.username, j.username),
    active = coalesce(alter_job.active, j.active)
  where j.jobid = job_id;
  if not found then
    raise exception 'could not find valid entry for job %', job_id;
  end if;
end
$keel$`;
}
