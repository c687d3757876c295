-- The backend an operation runs on is fixed when it is requested, so that its certificate says what
-- performed it, not what the host's row says at some later moment (issue 35, item 2). Operations
-- that exist at the upgrade take their host's backend as it is now: the replicas are stopped for it.
alter table operations add column backend_type varchar(32);
alter table operations add column simulated boolean;
update operations set backend_type = (select h.backend_type from hosts h where h.id = operations.host_id);
update operations set simulated = (backend_type <> 'host-agent');
