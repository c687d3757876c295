package io.lethe.certificate;

import io.lethe.audit.AuditLog;
import io.lethe.security.Actors;
import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A row is Lethe's key only if its private half opens with the secrets key, sealed for that very
 * key id and public key, and signs what its public half verifies: a row someone wrote into the
 * database (a public key of their own beside a copied sealed private key) is never published, never
 * signs and verifies nothing. A key made by a rotation or an import carries an endorsement signed
 * by the key it replaced, for verifiers that pinned the old one.
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

    record PublishedKey(
            String kid, String pem, Instant createdAt, Instant retiredAt, String endorsement) {}

    /**
     * The outcome of the genuineness check, by the row's content: it opens a sealed value and
     * signs, too much to repeat for every certificate of a batch.
     */
    private final Map<String, Optional<PrivateKey>> genuine = new ConcurrentHashMap<>();

    private volatile boolean configuredKeyKnown;

    /** The key to sign with, created or imported on first use. */
    @Transactional
    ActiveKey active() {
        importConfiguredKey();
        Optional<ActiveKey> stored = currentStored();
        if (stored.isPresent()) {
            return stored.get();
        }
        // replicas starting together: one makes the key, the others find it once they hold the lock
        jdbc.queryForList("select id from signing_key_lock where id = 1 for update");
        stored = currentStored();
        if (stored.isPresent()) {
            return stored.get();
        }
        if (jdbc.queryForObject(
                        "select count(*) from signing_keys where retired_at is null", Integer.class)
                == 0) {
            store(Ed25519.generate(), "generated");
            return active();
        }
        throw new IllegalStateException(
                "no active signing key opens with the secrets key: its rows were written outside Lethe;"
                        + " an admin rotates the key (POST /api/v1/certificates/signing-key/rotation)");
    }

    /**
     * The private key of a row that is genuinely Lethe's: it opens, sealed for this key id and
     * public key, the key id is the public key's, and the two halves belong together.
     */
    private Optional<PrivateKey> opened(String kid, String pem, String sealed) {
        try {
            PublicKey publicKey = Ed25519.publicKey(pem);
            if (!kid.equals(Ed25519.kid(publicKey)) || !cipher.keyKnown(sealed)) {
                return Optional.empty();
            }
            PrivateKey privateKey =
                    Ed25519.privateKey(
                            Base64.getDecoder()
                                    .decode(cipher.open(sealed, SealedFor.signingKey(kid, pem))));
            byte[] probe = ("lethe signing key " + kid).getBytes(StandardCharsets.UTF_8);
            return Ed25519.verify(publicKey, probe, Ed25519.sign(privateKey, probe))
                    ? Optional.of(privateKey)
                    : Optional.empty();
        } catch (RuntimeException notOurs) {
            return Optional.empty();
        }
    }

    private boolean genuine(String kid, String pem, String sealed) {
        return openedOnce(kid, pem, sealed).isPresent();
    }

    private Optional<PrivateKey> openedOnce(String kid, String pem, String sealed) {
        return genuine.computeIfAbsent(
                kid + "\n" + pem + "\n" + sealed, k -> opened(kid, pem, sealed));
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
        Optional<ActiveKey> previous = current();
        jdbc.update(
                "update signing_keys set retired_at = ? where retired_at is null",
                Timestamp.from(clock.instant()));
        String kid = store(Ed25519.generate(), "rotated", previous);
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

    /**
     * Lethe's keys, newest first, without making one: for readers that must not write. Rows that
     * are not genuinely Lethe's are left out (and logged).
     */
    @Transactional(readOnly = true)
    List<PublishedKey> existing() {
        List<PublishedKey> keys = new ArrayList<>();
        jdbc.query(
                "select kid, public_key_pem, private_key_enc, created_at, retired_at, endorsement"
                        + " from signing_keys order by created_at desc",
                rs -> {
                    String kid = rs.getString(1);
                    if (!genuine(kid, rs.getString(2), rs.getString(3))) {
                        log.warn(
                                "Signing key row {} is not Lethe's (its private half does not open for it);"
                                        + " it is neither published nor trusted",
                                kid);
                        return;
                    }
                    OffsetDateTime retired = rs.getObject(5, OffsetDateTime.class);
                    keys.add(
                            new PublishedKey(
                                    kid,
                                    rs.getString(2),
                                    rs.getObject(4, OffsetDateTime.class).toInstant(),
                                    retired == null ? null : retired.toInstant(),
                                    rs.getString(6)));
                });
        return keys;
    }

    /**
     * Lethe's own genuine public keys by key id, what verification trusts when nothing is pinned.
     */
    static Map<String, PublicKey> byKid(List<PublishedKey> published) {
        Map<String, PublicKey> keys = new java.util.HashMap<>();
        published.forEach(k -> keys.put(k.kid(), Ed25519.publicKey(k.pem())));
        return keys;
    }

    @Transactional
    List<PublishedKey> published() {
        active();
        return existing();
    }

    /** The active key, if one opens: what endorses the key that replaces it. */
    private Optional<ActiveKey> current() {
        try {
            return Optional.of(active());
        } catch (RuntimeException none) {
            return Optional.empty();
        }
    }

    private void importConfiguredKey() {
        if (properties.signingKeyFile() == null
                || properties.signingKeyFile().isBlank()
                || configuredKeyKnown) {
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
            // read once a process: a changed file is imported at the next start
            configuredKeyKnown = true;
            if (known == 0) {
                Optional<ActiveKey> previous = currentStored();
                jdbc.update(
                        "update signing_keys set retired_at = ? where retired_at is null",
                        Timestamp.from(clock.instant()));
                store(pair, "imported from " + properties.signingKeyFile(), previous);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lethe.certificates.signing-key-file", e);
        }
    }

    /** The newest stored key that is not retired and opens, without importing or generating. */
    private Optional<ActiveKey> currentStored() {
        for (Map<String, Object> row :
                jdbc.queryForList(
                        "select kid, public_key_pem, private_key_enc from signing_keys where retired_at is null order by created_at desc")) {
            String kid = (String) row.get("kid");
            Optional<PrivateKey> key =
                    openedOnce(
                            kid,
                            (String) row.get("public_key_pem"),
                            (String) row.get("private_key_enc"));
            if (key.isPresent()) {
                return Optional.of(new ActiveKey(kid, key.get()));
            }
        }
        return Optional.empty();
    }

    private String store(KeyPair pair, String how) {
        return store(pair, how, Optional.empty());
    }

    /**
     * Stores a new key; with the key it replaces, an endorsement of the new public key signed by
     * the old one.
     */
    private String store(KeyPair pair, String how, Optional<ActiveKey> previous) {
        String kid = Ed25519.kid(pair.getPublic());
        String pem = Ed25519.pem(pair.getPublic());
        Instant now = clock.instant();
        String endorsement =
                previous.map(old -> KeyEndorsement.of(old, kid, pem, now)).orElse(null);
        jdbc.update(
                "insert into signing_keys (kid, public_key_pem, private_key_enc, created_at, endorsement)"
                        + " values (?, ?, ?, ?, ?)",
                kid,
                pem,
                cipher.seal(
                        Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                        SealedFor.signingKey(kid, pem)),
                Timestamp.from(now),
                endorsement);
        log.info("Certificate signing key {} {}", kid, how);
        return kid;
    }
}
