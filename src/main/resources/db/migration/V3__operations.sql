-- Devices: which operation holds a device, and the unlock attempts the device has left.
alter table devices add column held_by uuid;
alter table devices add column unlock_attempts_left integer;

-- Regions: the invalidation barrier. A region commits only when its last successful invalidation
-- started after the last media change (erase or unlock) of every member, and no operation holds it.
alter table regions add column invalidated_at timestamp(6) with time zone;
alter table region_members add column media_changed_at timestamp(6) with time zone;
create table region_holds (
    region_id    uuid not null references regions (id) on delete cascade,
    operation_id uuid not null,
    primary key (region_id, operation_id)
);

-- The simulated x86 hardware of one host (media, CPU cache, decoders), shared by replicas.
create table sim_machines (
    host_id uuid primary key references hosts (id),
    state   text   not null,
    version bigint not null default 0
);

create table operations (
    id                      uuid primary key,
    type                    varchar(32)  not null,
    device_id               uuid         not null references devices (id),
    host_id                 uuid         not null references hosts (id),
    region_id               uuid,
    method                  varchar(32),
    master_passphrase       boolean      not null default false,
    allow_final_attempt     boolean      not null default false,
    reason                  varchar(512),
    state                   varchar(16)  not null,
    error                   varchar(1024),
    actor                   varchar(128) not null,
    batch_id                uuid,
    status_before           varchar(32)  not null,
    passphrase_enc          varchar(1024),
    verify_evidence         varchar(1024),
    cancel_requested        boolean      not null default false,
    tick                    bigint       not null default 0,
    invalidation_started_at timestamp(6) with time zone,
    created_at              timestamp(6) with time zone not null,
    updated_at              timestamp(6) with time zone not null,
    finished_at             timestamp(6) with time zone,
    version                 bigint       not null default 0
);
create index ix_operations_device on operations (device_id, id);
create index ix_operations_state on operations (state, id);
create index ix_operations_batch on operations (batch_id, id);

create table operation_steps (
    operation_id uuid         not null references operations (id) on delete cascade,
    position     integer      not null,
    name         varchar(32)  not null,
    state        varchar(16)  not null,
    started_at   timestamp(6) with time zone,
    finished_at  timestamp(6) with time zone,
    attempts     integer      not null default 0,
    progress     integer,
    detail       varchar(1024),
    primary key (operation_id, position)
);

create table idempotency_keys (
    idem_key     varchar(255) primary key,
    request_mac  varchar(128) not null,
    operation_id uuid         not null,
    created_at   timestamp(6) with time zone not null
);

create table audit_records (
    id           uuid primary key,
    at           timestamp(6) with time zone not null,
    actor        varchar(128) not null,
    action       varchar(64)  not null,
    operation_id uuid,
    device_id    uuid,
    host_id      uuid,
    step         varchar(32),
    outcome      varchar(32),
    detail       varchar(1024)
);
create index ix_audit_operation on audit_records (operation_id, id);
create index ix_audit_device on audit_records (device_id, id);
create index ix_audit_at on audit_records (at, id);
