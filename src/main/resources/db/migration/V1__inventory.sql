-- Inventory: hosts, devices, regions. Portable between H2 (PostgreSQL mode) and PostgreSQL.
create table hosts (
    id                 uuid primary key,
    name               varchar(253) not null,
    backend_type       varchar(32)  not null,
    virtualized        boolean      not null default false,
    latencies          varchar(4000),
    faults             varchar(4000),
    agent_url          varchar(2048),
    agent_token_enc    varchar(2048),
    cache_invalidation varchar(16)  not null,
    created_at         timestamp(6) with time zone not null,
    updated_at         timestamp(6) with time zone not null,
    version            bigint       not null default 0,
    constraint uk_hosts_name unique (name)
);

create table host_labels (
    host_id     uuid         not null references hosts (id) on delete cascade,
    label_key   varchar(63)  not null,
    label_value varchar(253) not null,
    primary key (host_id, label_key)
);
create index ix_host_labels_key_value on host_labels (label_key, label_value);

create table devices (
    id               uuid primary key,
    host_id          uuid         not null references hosts (id),
    kind             varchar(16)  not null,
    serial           varchar(128) not null,
    manufacturer     varchar(128),
    model            varchar(128),
    firmware_version varchar(64),
    capacity_bytes   bigint       not null,
    security_state   varchar(32)  not null,
    status           varchar(32)  not null,
    created_at       timestamp(6) with time zone not null,
    updated_at       timestamp(6) with time zone not null,
    version          bigint       not null default 0,
    constraint uk_devices_kind_serial unique (kind, serial)
);
-- Keyset pages under each filter walk one of these indexes in id order.
create index ix_devices_host_id on devices (host_id, id);
create index ix_devices_status_id on devices (status, id);
create index ix_devices_serial_id on devices (serial, id);

create table regions (
    id              uuid primary key,
    host_id         uuid         not null references hosts (id),
    name            varchar(64)  not null,
    base_address    bigint       not null,
    size_bytes      bigint       not null,
    interleave_ways integer      not null,
    state           varchar(16)  not null,
    created_at      timestamp(6) with time zone not null,
    updated_at      timestamp(6) with time zone not null,
    version         bigint       not null default 0,
    constraint uk_regions_host_name unique (host_id, name)
);

create table region_members (
    region_id uuid    not null references regions (id) on delete cascade,
    device_id uuid    not null references devices (id),
    position  integer not null,
    primary key (region_id, position),
    -- A device belongs to at most one region.
    constraint uk_region_members_device unique (device_id)
);
