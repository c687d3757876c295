package io.lethe.certificate;

import io.lethe.audit.AuditAnchor;
import io.lethe.audit.AuditAnchors;
import io.lethe.audit.OutsideCopy;
import io.lethe.common.Ids;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * What audit verification holds the chain against: every stored checkpoint and certificate, and
 * every checkpoint the configured sinks hold, each as its signed payload says (never the columns
 * beside it, which anyone with the database could edit), authentic only when its signature holds
 * with a {@link TrustedKeys trusted} key.
 */
@Component
class CheckpointAnchors implements AuditAnchors {

    private final JdbcTemplate jdbc;
    private final SigningKeys keys;
    private final TrustedKeys trusted;
    private final CheckpointSinks sinks;

    CheckpointAnchors(
            JdbcTemplate jdbc, SigningKeys keys, TrustedKeys trusted, CheckpointSinks sinks) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.trusted = trusted;
        this.sinks = sinks;
    }

    @Override
    @Transactional(readOnly = true)
    public Anchoring anchoring() {
        TrustedKeys.Trust trust = trusted.trust(keys.existing());
        Map<String, PublicKey> accepted = trust.keys();
        List<AuditAnchor> anchors = new ArrayList<>();
        jdbc.query(
                "select seq, jws from audit_checkpoints",
                rs -> {
                    anchors.add(
                            checkpoint(
                                    rs.getString("jws"),
                                    rs.getLong("seq"),
                                    "checkpoint " + rs.getLong("seq"),
                                    accepted));
                });
        jdbc.query(
                "select operation_id, jws from certificates",
                rs -> {
                    anchors.add(
                            certificate(
                                    rs.getString("jws"),
                                    "the certificate of operation " + rs.getString("operation_id"),
                                    accepted));
                });
        List<OutsideCopy> reports = new ArrayList<>();
        for (CheckpointSinks.Held held : sinks.held()) {
            for (AuditCheckpoints.Checkpoint c : held.checkpoints()) {
                anchors.add(
                        checkpoint(
                                c.jws(),
                                c.seq(),
                                "checkpoint " + c.seq() + " held by the " + held.name(),
                                accepted));
            }
            reports.add(held.report(held.checkpoints().size()));
        }
        return new Anchoring(anchors, trust.wire(), reports);
    }

    private static AuditAnchor checkpoint(
            String jws, long seq, String source, Map<String, PublicKey> accepted) {
        JsonNode signed = Jws.verified(jws, AuditCheckpoints.TYP, accepted).orElse(null);
        if (signed == null) {
            JsonNode claimed = Jws.payload(jws);
            return AuditAnchor.at(
                    claimed == null ? Math.max(seq, 1) : Math.max(claimed.path("seq").asLong(), 1),
                    "",
                    source,
                    false);
        }
        return AuditAnchor.at(
                signed.path("seq").asLong(), signed.path("hash").asString(""), source, true);
    }

    private static AuditAnchor certificate(
            String jws, String source, Map<String, PublicKey> accepted) {
        JsonNode signed = Jws.verified(jws, CertificateService.TYP, accepted).orElse(null);
        JsonNode payload = signed != null ? signed : Jws.payload(jws);
        boolean authentic = signed != null;
        if (payload != null && payload.at("/audit/contentHash").isString()) {
            return AuditAnchor.of(
                    Ids.parse(payload.at("/audit/recordId").asString("")).orElse(new UUID(0, 0)),
                    payload.at("/audit/contentHash").asString(),
                    source,
                    authentic);
        }
        if (payload != null && payload.at("/audit/seq").isNumber()) {
            // signed at its first fetch, before certificates were signed at success: a place
            return AuditAnchor.at(
                    payload.at("/audit/seq").asLong(),
                    payload.at("/audit/hash").asString(""),
                    source,
                    authentic);
        }
        return AuditAnchor.at(1, "", source, false);
    }
}
