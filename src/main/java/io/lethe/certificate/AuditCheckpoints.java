package io.lethe.certificate;

import io.lethe.audit.AuditAnchor;
import io.lethe.audit.AuditAnchors;
import io.lethe.audit.AuditLog;
import io.lethe.audit.ChainHead;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Signed checkpoints of the audit chain: the head's sequence, hash and time, signed (EdDSA) with
 * the certificate signing key, at most every {@code lethe.audit.checkpoint-interval} (a minute)
 * when the chain grew, and whenever a certificate is issued. Each is stored, served at {@code GET
 * /api/v1/audit/checkpoints}, and logged as one line, so that log shipping carries a copy out of
 * the database. As {@link AuditAnchors}, checkpoints and certificates are what audit verification
 * holds the chain against.
 */
@Component
class AuditCheckpoints implements AuditAnchors {

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);
    private final JdbcTemplate jdbc;
    private final SigningKeys keys;
    private final AuditLog audit;
    private final Clock clock;

    AuditCheckpoints(JdbcTemplate jdbc, SigningKeys keys, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
    }

    /** A checkpoint as served: the signed JWS and, for reading, what it says. */
    @Schema(name = "AuditCheckpoint")
    record Checkpoint(
            long seq,
            String hash,
            Instant at,
            String kid,
            @Schema(
                            description =
                                    "Compact JWS (EdDSA) over {typ, seq, hash, at}; verify it with the key named by kid")
                    String jws) {}

    @Schema(name = "AuditCheckpoints")
    record Checkpoints(List<Checkpoint> items) {}

    @Scheduled(
            fixedDelayString = "${lethe.audit.checkpoint-interval:PT1M}",
            initialDelayString = "${lethe.audit.checkpoint-interval:PT1M}")
    void everyInterval() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            log.warn("Could not make an audit checkpoint: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Checkpoints the chain's head, unless it is empty or already checkpointed; answers the
     * checkpoint.
     */
    @Transactional
    Optional<Checkpoint> checkpoint() {
        ChainHead head = audit.head();
        if (head.seq() == 0) {
            return Optional.empty();
        }
        List<Checkpoint> existing =
                jdbc.query(
                        "select seq, hash, at, kid, jws from audit_checkpoints where seq = ?",
                        AuditCheckpoints::row,
                        head.seq());
        if (!existing.isEmpty()) {
            return Optional.of(existing.get(0));
        }
        SigningKeys.ActiveKey key = keys.active();
        Instant at = clock.instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("typ", "lethe-audit-checkpoint");
        payload.put("seq", head.seq());
        payload.put("hash", head.hash());
        payload.put("at", at.toString());
        String header =
                b64(
                        CertificateService.JSON.writeValueAsBytes(
                                Map.of(
                                        "alg",
                                        "EdDSA",
                                        "kid",
                                        key.kid(),
                                        "typ",
                                        "lethe-audit-checkpoint+jws")));
        String input = header + "." + b64(CertificateService.JSON.writeValueAsBytes(payload));
        String jws =
                input
                        + "."
                        + b64(
                                Ed25519.sign(
                                        key.privateKey(),
                                        input.getBytes(StandardCharsets.US_ASCII)));
        try {
            jdbc.update(
                    "insert into audit_checkpoints (seq, hash, at, kid, jws) values (?, ?, ?, ?, ?)",
                    head.seq(),
                    head.hash(),
                    Timestamp.from(at),
                    key.kid(),
                    jws);
        } catch (DuplicateKeyException anotherReplica) {
            return Optional.empty();
        }
        // One line per checkpoint: shipped logs keep the chain's heads where the database cannot
        // reach them.
        log.info(
                "audit checkpoint seq={} hash={} at={} kid={} jws={}",
                head.seq(),
                head.hash(),
                at,
                key.kid(),
                jws);
        return Optional.of(new Checkpoint(head.seq(), head.hash(), at, key.kid(), jws));
    }

    /** Checkpoints with a sequence above {@code after}, oldest first, at most {@code limit}. */
    @Transactional(readOnly = true)
    List<Checkpoint> list(long after, int limit) {
        return jdbc.query(
                "select seq, hash, at, kid, jws from audit_checkpoints where seq > ? order by seq limit "
                        + limit,
                AuditCheckpoints::row,
                after);
    }

    /**
     * Every checkpoint and every certificate as an anchor: what its signed payload says (not the
     * columns beside it, which anyone with the database could edit), and whether the signature
     * holds with the published key it names.
     */
    @Override
    @Transactional(readOnly = true)
    public List<AuditAnchor> anchors() {
        Map<String, PublicKey> published = new HashMap<>();
        for (SigningKeys.PublishedKey key : keys.existing()) {
            published.put(key.kid(), Ed25519.publicKey(key.pem()));
        }
        List<AuditAnchor> anchors = new ArrayList<>();
        jdbc.query(
                "select seq, jws from audit_checkpoints",
                rs -> {
                    String jws = rs.getString("jws");
                    JsonNode payload = payload(jws);
                    anchors.add(
                            new AuditAnchor(
                                    payload == null
                                            ? rs.getLong("seq")
                                            : payload.path("seq").asLong(),
                                    payload == null ? "" : payload.path("hash").asString(""),
                                    "checkpoint " + rs.getLong("seq"),
                                    payload != null && signed(jws, published)));
                });
        jdbc.query(
                "select operation_id, jws from certificates",
                rs -> {
                    String jws = rs.getString("jws");
                    JsonNode payload = payload(jws);
                    if (payload != null && payload.at("/audit/seq").isNumber()) {
                        anchors.add(
                                new AuditAnchor(
                                        payload.at("/audit/seq").asLong(),
                                        payload.at("/audit/hash").asString(""),
                                        "the certificate of operation "
                                                + rs.getString("operation_id"),
                                        signed(jws, published)));
                    }
                });
        return anchors;
    }

    private static boolean signed(String jws, Map<String, PublicKey> published) {
        try {
            String[] parts = jws.split("\\.");
            JsonNode header =
                    CertificateService.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            PublicKey key = published.get(header.path("kid").asString(""));
            return key != null
                    && "EdDSA".equals(header.path("alg").asString(""))
                    && Ed25519.verify(
                            key,
                            (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                            Base64.getUrlDecoder().decode(parts[2]));
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private static JsonNode payload(String jws) {
        try {
            return CertificateService.JSON.readTree(
                    Base64.getUrlDecoder().decode(jws.split("\\.")[1]));
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static Checkpoint row(ResultSet rs, int n) throws SQLException {
        return new Checkpoint(
                rs.getLong("seq"),
                rs.getString("hash"),
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("kid"),
                rs.getString("jws"));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
