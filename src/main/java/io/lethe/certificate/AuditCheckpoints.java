package io.lethe.certificate;

import io.lethe.audit.AuditLog;
import io.lethe.audit.ChainHead;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Signed checkpoints of the audit chain: the head's sequence, hash and time, signed (EdDSA) with
 * the certificate signing key, at most every {@code lethe.audit.checkpoint-interval} (a minute)
 * when the chain grew. Each is stored, served at {@code GET /api/v1/audit/checkpoints}, logged as
 * one line, and delivered to the configured {@link CheckpointSinks}, so that copies live where the
 * database's writers cannot reach. {@link CheckpointAnchors} holds the chain against them.
 */
@Component
class AuditCheckpoints {

    /** The {@code typ} of a checkpoint's JWS header. */
    static final String TYP = "lethe-audit-checkpoint+jws";

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);
    private final JdbcTemplate jdbc;
    private final SigningKeys keys;
    private final AuditLog audit;
    private final Clock clock;

    private final CheckpointSinks sinks;
    private final Counter refused;
    private final AtomicReference<Checkpoint> lastSigned = new AtomicReference<>();

    AuditCheckpoints(
            JdbcTemplate jdbc,
            SigningKeys keys,
            AuditLog audit,
            Clock clock,
            CheckpointSinks sinks,
            MeterRegistry registry) {
        this.sinks = sinks;
        this.refused =
                Counter.builder("lethe.audit.checkpoint.refused")
                        .description(
                                "Checkpoints not signed because the chain does not extend one kept outside the database")
                        .register(registry);
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
            // Not through the proxy, so without a transaction: the chain's walk does not hold one
            // open, and the insert commits on its own before the checkpoint is carried out.
            checkpoint();
        } catch (RuntimeException e) {
            log.warn("Could not make an audit checkpoint: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Checkpoints the chain's head, unless it is empty or already checkpointed; answers the
     * checkpoint. Nothing is signed over a chain that does not extend the newest checkpoint kept
     * outside the database (this replica's file sink, the last one this process signed): that chain
     * was rewritten or cut, and a new signature would vouch for the rewrite.
     */
    @Transactional
    Optional<Checkpoint> checkpoint() {
        ChainHead head = audit.head();
        if (head.seq() == 0) {
            return Optional.empty();
        }
        Optional<Checkpoint> outside = newestOutside();
        if (outside.isPresent()
                && !audit.extendsTo(outside.get().seq(), outside.get().hash(), head)) {
            refused.increment();
            log.error(
                    "Audit chain does not extend checkpoint {} kept outside the database: it was rewritten"
                            + " or cut; no checkpoint is signed over it (see GET /api/v1/audit/verification)",
                    outside.get().seq());
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
        String jws = Jws.sign(key.kid(), key.privateKey(), TYP, payload);
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
        Checkpoint made = new Checkpoint(head.seq(), head.hash(), at, key.kid(), jws);
        // Out of the database once it is in: a line in the log, the sinks, this process's memory.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            carryOut(made);
                        }
                    });
        } else {
            carryOut(made);
        }
        return Optional.of(made);
    }

    private void carryOut(Checkpoint made) {
        log.info(
                "audit checkpoint seq={} hash={} at={} kid={} jws={}",
                made.seq(),
                made.hash(),
                made.at(),
                made.kid(),
                made.jws());
        lastSigned.accumulateAndGet(
                made, (old, now) -> old == null || now.seq() > old.seq() ? now : old);
        sinks.deliver(made);
    }

    private Optional<Checkpoint> newestOutside() {
        Optional<Checkpoint> newest = Optional.ofNullable(lastSigned.get());
        Optional<Checkpoint> inFile = sinks.newestInFiles();
        if (inFile.isPresent() && (newest.isEmpty() || inFile.get().seq() > newest.get().seq())) {
            // the file is this replica's, but its signature is checked all the same
            if (Jws.verified(inFile.get().jws(), TYP, SigningKeys.byKid(keys.existing()))
                    .isPresent()) {
                newest = inFile;
            }
        }
        return newest;
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

    private static Checkpoint row(ResultSet rs, int n) throws SQLException {
        return new Checkpoint(
                rs.getLong("seq"),
                rs.getString("hash"),
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("kid"),
                rs.getString("jws"));
    }
}
