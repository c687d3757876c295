-- Which tokens came from the bootstrap setting (or were generated at first start): a new bootstrap
-- value revokes them. Tokens named by the service itself before this version are marked.
alter table api_tokens add column bootstrap boolean default false not null;
update api_tokens set bootstrap = true where name = 'bootstrap' or name like 'bootstrap-%';
