-- Fleet batches: one request over many devices, one operation per device.
create table batches (
    id          uuid primary key,
    action      varchar(32)  not null,
    method      varchar(32),
    reason      varchar(500),
    selector    varchar not null,
    plan        varchar not null,
    actor       varchar(200) not null,
    cancel_requested boolean not null default false,
    created_at  timestamp(6) with time zone not null
);
create index ix_operations_batch_state on operations (batch_id, state);

-- When the operation's erase or unlock changed the device's memory (the device's own time): an
-- invalidation of the host serves the operation only if it started after this.
alter table operations add column media_changed_at timestamp(6) with time zone;

-- One row per host: who is invalidating its caches right now, and when the last successful
-- invalidation began. Operations of the host that wait are served by the next one.
create table host_invalidations (
    host_id         uuid primary key,
    claimed_by      uuid,
    claimed_at      timestamp(6) with time zone,
    last_started_at timestamp(6) with time zone,
    invalidations   bigint not null default 0
);
