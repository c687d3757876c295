-- The simulated x86 hardware, in a store of its own (issue #37, item 5): a file beside Lethe's on
-- H2, a schema beside Lethe's on PostgreSQL. Nothing here refers to Lethe's tables, as nothing in
-- a real machine refers to the service that manages it. A machine is kept per device, per region
-- and per cache line: an action writes only the rows it changed, and the host's row is what every
-- change of its machine locks first.
create table sim_hosts (
    host_id         uuid          primary key,
    invalidations   bigint        not null default 0,
    consumed_faults varchar(2000) not null default ''
);

create table sim_devices (
    device_id uuid          primary key,
    host_id   uuid          not null references sim_hosts (host_id),
    state     varchar(8000) not null
);
create index sim_devices_host on sim_devices (host_id);

create table sim_regions (
    region_id uuid          primary key,
    host_id   uuid          not null references sim_hosts (host_id),
    state     varchar(8000) not null
);
create index sim_regions_host on sim_regions (host_id);

-- The CPU cache by host-physical address: a line outlives the region it was read from.
create table sim_cache_lines (
    host_id uuid    not null references sim_hosts (host_id),
    address bigint  not null,
    data    bytea   not null,
    dirty   boolean not null,
    primary key (host_id, address)
);
