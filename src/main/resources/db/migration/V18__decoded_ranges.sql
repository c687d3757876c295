-- Cache lines belong to host-physical addresses, not to devices. A region removed while lines of
-- its addresses may still be cached leaves its range here, with the host order number at which it
-- stopped decoding; nothing decodes over that range again until an invalidation numbered after it
-- has succeeded (then the row goes).
create table decoded_ranges (
    id           uuid   primary key,
    host_id      uuid   not null references hosts (id) on delete cascade,
    base_address bigint not null,
    size_bytes   bigint not null,
    stopped_seq  bigint not null
);
create index decoded_ranges_host on decoded_ranges (host_id);

-- The host order number of the last decode over the region's addresses, by another region, that
-- no invalidation has covered yet: the region commits only after one numbered after it.
alter table regions add column exposed_seq bigint;
-- The host order number taken after the region's decoders were last reset, null while it may
-- decode: when its own lines stopped being filled.
alter table regions add column decode_stopped_seq bigint;
