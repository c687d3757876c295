-- Signed checkpoints of the audit chain's head (sequence, hash, time), made at most every minute and
-- whenever a certificate is issued. Each is also logged as one line, so log shipping keeps a copy
-- outside the database.
create table audit_checkpoints (
    seq  bigint       primary key,
    hash varchar(64)  not null,
    at   timestamp(6) with time zone not null,
    kid  varchar(64)  not null references signing_keys (kid),
    jws  varchar(2048) not null
);

-- One row to lock while the first signing key is made: two replicas (or a certificate and a
-- checkpoint) asking for a key at once must not each make one.
create table signing_key_lock (id integer primary key);
insert into signing_key_lock (id) values (1);
