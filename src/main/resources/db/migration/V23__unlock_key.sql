-- Which key an unlock gave the kernel (issue 34, defect 6): the passphrase in the request, or the
-- host's own key that ndctl sealed and keeps on the host. Unlocks before this version used their
-- request's passphrase.
alter table operations add column unlock_key varchar(16);
update operations set unlock_key = 'passphrase' where type = 'unlock';
