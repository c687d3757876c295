-- Idempotency keys belong to the token that sent them and expire (lethe.workflow.idempotency-key-ttl).
-- Keys recorded before this version were shared by every caller; they are dropped, which only means a
-- retry of a request sent before the upgrade starts a new operation instead of returning the old one.
drop table idempotency_keys;

create table idempotency_keys (
    scope        varchar(128) not null,
    idem_key     varchar(255) not null,
    request_mac  varchar(128) not null,
    operation_id uuid         not null,
    created_at   timestamp(6) with time zone not null,
    primary key (scope, idem_key)
);

create index ix_idempotency_keys_created_at on idempotency_keys (created_at);
