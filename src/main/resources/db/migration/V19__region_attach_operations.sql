-- A declared region starts detached and an attach-region operation commits it: the id of the one
-- Lethe started when the region was declared (null when none was, e.g. a locked member, whose
-- unlock attaches it, or a discovered region).
alter table regions add column attach_operation_id uuid;
