-- Media changes and invalidations are ordered per host by a sequence taken under the host's row
-- lock, never by comparing clocks (replicas, agents and devices each have their own). An
-- invalidation covers exactly the changes whose end was recorded before its number was taken.
create table host_sequences (
    host_id    uuid primary key,
    last_value bigint not null default 0
);

-- Per member: the number of its last recorded media change; the operation whose erase or unlock
-- started and was never seen to end (its media state is unknown until a fresh erase ends); whether
-- it was retired (decommissioned): a region's interleave is fixed, so it never decodes again.
alter table region_members add column media_change_seq bigint;
alter table region_members add column changing_operation uuid;
alter table region_members add column retired boolean not null default false;
alter table regions add column invalidated_seq bigint;
alter table operations add column media_change_seq bigint;
alter table operations add column invalidation_seq bigint;
alter table host_invalidations add column claim_seq bigint;
alter table host_invalidations add column last_seq bigint;

-- Carried over conservatively: a change the last invalidation did not start after stays uncovered
-- (number 1, no invalidation numbered yet); an erase or unlock still running has an unknown outcome.
insert into host_sequences (host_id, last_value) select id, 1 from hosts;
update region_members set media_change_seq = 1 where media_changed_at is not null
    and exists (select 1 from regions r where r.id = region_members.region_id
                and (r.invalidated_at is null or r.invalidated_at <= region_members.media_changed_at));
update operations set media_change_seq = 1 where media_changed_at is not null;
update region_members set changing_operation = (select o.id from operations o join operation_steps s on s.operation_id = o.id
        where o.device_id = region_members.device_id and s.name in ('erase', 'unlock') and s.state = 'running' limit 1)
    where exists (select 1 from operations o join operation_steps s on s.operation_id = o.id
        where o.device_id = region_members.device_id and s.name in ('erase', 'unlock') and s.state = 'running');
update region_members set retired = true
    where exists (select 1 from devices d where d.id = region_members.device_id and d.status = 'decommissioned');
