-- Per-host and global limits on erases at once. An erase operation is admitted before its first
-- step; the slot rows are locked while admitting, so the limits hold across replicas.
alter table operations add column admitted boolean not null default false;
create table erase_slots (
    slot_key varchar(64) primary key
);
insert into erase_slots (slot_key) values ('global');
create index ix_operations_host_state on operations (host_id, state, id);
