-- Tamper evidence: every audit record gets a sequence number and a hash linking it to the one before.
alter table audit_records add column seq bigint;
alter table audit_records add column prev_hash varchar(64);
alter table audit_records add column hash varchar(64);
create unique index uk_audit_records_seq on audit_records (seq);

-- The head of the chain; its row lock orders appends across threads and replicas.
create table audit_chain_head (
    id   integer primary key,
    seq  bigint      not null,
    hash varchar(64) not null
);
insert into audit_chain_head (id, seq, hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

create table signing_keys (
    kid             varchar(64) primary key,
    public_key_pem  varchar(1024) not null,
    private_key_enc varchar(2048) not null,
    created_at      timestamp(6) with time zone not null,
    retired_at      timestamp(6) with time zone
);

create table certificates (
    operation_id uuid primary key references operations (id),
    kid          varchar(64)  not null references signing_keys (kid),
    jws          text         not null,
    issued_at    timestamp(6) with time zone not null
);
