-- A key made by a rotation is endorsed by the key it replaces: a JWS over the new public key, signed
-- with the old private key, so that a verifier that pinned the old key accepts the new one (issue 35,
-- item 1). Keys made before this version, and the first key, have none.
alter table signing_keys add column endorsement varchar(4000);
