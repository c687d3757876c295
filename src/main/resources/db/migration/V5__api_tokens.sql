-- API tokens: only a SHA-256 of each secret is kept; the secret is shown once, at creation.
create table api_tokens (
    id          uuid primary key,
    name        varchar(128) not null,
    roles       varchar(128) not null,
    secret_hash varchar(64)  not null,
    created_at  timestamp(6) with time zone not null,
    revoked_at  timestamp(6) with time zone,
    constraint uk_api_tokens_name unique (name),
    constraint uk_api_tokens_secret unique (secret_hash)
);
