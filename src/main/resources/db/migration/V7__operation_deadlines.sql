-- Timeouts as data: every operation carries the moment after which the deadline reaper fails it
-- (operations created before this column existed have none).
alter table operations add column deadline timestamp(6) with time zone;
create index ix_operations_state_deadline on operations (state, deadline);
