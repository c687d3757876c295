package io.lethe.certificate;

import io.lethe.audit.AuditLog;
import io.lethe.security.Actors;
import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The certificate signing keys, shared by replicas through the database: private keys sealed by
 * {@link SecretCipher}, public keys in PEM. The newest key that is not retired signs; retired keys
 * stay published so that every certificate ever issued can still be verified.
 */
@Component
class SigningKeys implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;
    private final CertificateProperties properties;
    private final Clock clock;

    private final AuditLog audit;

    SigningKeys(
            JdbcTemplate jdbc,
            SecretCipher cipher,
            CertificateProperties properties,
            Clock clock,
            AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.properties = properties;
        this.clock = clock;
    }

    record ActiveKey(String kid, PrivateKey privateKey) {}

    record PublishedKey(String kid, String pem, Instant createdAt, Instant retiredAt) {}

    /** The key to sign with, created or imported on first use. */
    @Transactional
    ActiveKey active() {
        importConfiguredKey();
        List<Map<String, Object>> rows =
                jdbc.queryForList(
                        "select kid, public_key_pem, private_key_enc from signing_keys where retired_at is null order by created_at desc");
        if (rows.isEmpty()) {
            jdbc.queryForList("select id from signing_key_lock where id = 1 for update");
            if (jdbc.queryForObject(
                            "select count(*) from signing_keys where retired_at is null",
                            Integer.class)
                    == 0) {
                store(Ed25519.generate(), "generated");
            }
            return active();
        }
        Map<String, Object> row = rows.get(0);
        byte[] pkcs8 =
                Base64.getDecoder()
                        .decode(
                                cipher.open(
                                        (String) row.get("private_key_enc"),
                                        SealedFor.signingKey(
                                                (String) row.get("kid"),
                                                (String) row.get("public_key_pem"))));
        return new ActiveKey((String) row.get("kid"), Ed25519.privateKey(pkcs8));
    }

    /**
     * The first key is made (or imported) at start-up, not by the first reader: a read never
     * writes. Replicas starting together serialize on the key lock.
     */
    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        active();
    }

    /** Retires every key and makes a new one active; old certificates stay verifiable. */
    @Transactional
    PublishedKey rotate() {
        jdbc.queryForList("select id from signing_key_lock where id = 1 for update");
        jdbc.update(
                "update signing_keys set retired_at = ? where retired_at is null",
                Timestamp.from(clock.instant()));
        String kid = store(Ed25519.generate(), "rotated");
        audit.recordAdmin(
                Actors.current(),
                "signing-key-rotated",
                null,
                null,
                "signing key "
                        + kid
                        + " made active; the previous keys are retired and stay published");
        return published().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
    }

    /** The keys that exist, without making one: for readers that must not write. */
    @Transactional(readOnly = true)
    List<PublishedKey> existing() {
        return jdbc.query(
                "select kid, public_key_pem, created_at, retired_at from signing_keys order by created_at desc",
                (rs, n) ->
                        new PublishedKey(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant(),
                                rs.getObject(4, OffsetDateTime.class) == null
                                        ? null
                                        : rs.getObject(4, OffsetDateTime.class).toInstant()));
    }

    @Transactional
    List<PublishedKey> published() {
        active();
        return jdbc.query(
                "select kid, public_key_pem, created_at, retired_at from signing_keys order by created_at desc",
                (rs, n) ->
                        new PublishedKey(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant(),
                                rs.getObject(4, OffsetDateTime.class) == null
                                        ? null
                                        : rs.getObject(4, OffsetDateTime.class).toInstant()));
    }

    private void importConfiguredKey() {
        if (properties.signingKeyFile() == null || properties.signingKeyFile().isBlank()) {
            return;
        }
        try {
            KeyPair pair =
                    Ed25519.fromPkcs8(
                            Ed25519.der(Files.readString(Path.of(properties.signingKeyFile()))));
            String kid = Ed25519.kid(pair.getPublic());
            Integer known =
                    jdbc.queryForObject(
                            "select count(*) from signing_keys where kid = ?", Integer.class, kid);
            if (known == 0) {
                jdbc.update(
                        "update signing_keys set retired_at = ? where retired_at is null",
                        Timestamp.from(clock.instant()));
                store(pair, "imported from " + properties.signingKeyFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lethe.certificates.signing-key-file", e);
        }
    }

    private String store(KeyPair pair, String how) {
        String kid = Ed25519.kid(pair.getPublic());
        String pem = Ed25519.pem(pair.getPublic());
        jdbc.update(
                "insert into signing_keys (kid, public_key_pem, private_key_enc, created_at) values (?, ?, ?, ?)",
                kid,
                pem,
                cipher.seal(
                        Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                        SealedFor.signingKey(kid, pem)),
                Timestamp.from(clock.instant()));
        log.info("Certificate signing key {} {}", kid, how);
        return kid;
    }
}
