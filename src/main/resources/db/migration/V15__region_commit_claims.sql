-- A region commit is claimed under the region's lock before the hardware commits its decoders, and
-- recorded after: no hardware call runs inside a database transaction. While a fresh claim is
-- pending no operation may take the region detached; a claim older than twice the step timeout is
-- a committer that died, and is superseded.
alter table regions add column commit_claim uuid;
alter table regions add column commit_claimed_at timestamp(6) with time zone;
