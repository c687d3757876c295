package io.lethe.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Walks the audit chain in sequence order and names the first record that breaks it: a record whose
 * content no longer matches its hash ({@code changed}), a gap in the sequence or a chain that ends
 * before its head ({@code missing}), a record that does not link to the one before it ({@code
 * reordered}).
 */
@Component
class AuditVerifier {

    private static final int PAGE = 2_000;
    private final JdbcTemplate jdbc;
    private final ObjectProvider<AuditAnchors> anchorSources;

    AuditVerifier(JdbcTemplate jdbc, ObjectProvider<AuditAnchors> anchorSources) {
        this.jdbc = jdbc;
        this.anchorSources = anchorSources;
    }

    @Schema(name = "AuditVerification")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Verification(
            boolean intact,
            long records,
            Long firstBroken,
            String reason,
            String detail,
            @Schema(
                            description =
                                    "pinned: signatures were checked against keys pinned outside the database "
                                            + "(lethe.certificates.trusted-keys); unpinned: against Lethe's own keys",
                            allowableValues = {"pinned", "unpinned"})
                    String trust,
            @Schema(
                            description =
                                    "The checkpoint sinks outside the database the chain was held against; empty "
                                            + "when none is configured")
                    List<OutsideCopy> sinks) {
        static Verification intact(long records) {
            return new Verification(true, records, null, null, null, null, null);
        }

        Verification as(AuditAnchors.Anchoring anchoring) {
            return new Verification(
                    intact,
                    records,
                    firstBroken,
                    reason,
                    detail,
                    anchoring.trust(),
                    anchoring.sinks());
        }
    }

    /** One chained record as stored. */
    record Row(
            Long seq,
            UUID id,
            OffsetDateTime at,
            String actor,
            String action,
            UUID operationId,
            UUID deviceId,
            UUID hostId,
            String step,
            String outcome,
            String detail,
            String prevHash,
            String hash) {

        String canonical() {
            return AuditChain.canonical(
                    id,
                    at.toInstant(),
                    actor,
                    action,
                    operationId,
                    deviceId,
                    hostId,
                    step,
                    outcome,
                    detail);
        }
    }

    /**
     * Walks the chain and holds it against every anchor (signed checkpoints, certificates): a chain
     * cut short or rewritten and re-hashed is intact in itself, but no longer ends at, or passes
     * through, what the anchors signed.
     */
    Verification verify() {
        List<AuditAnchors.Anchoring> sources =
                anchorSources.orderedStream().map(AuditAnchors::anchoring).toList();
        AuditAnchors.Anchoring all =
                new AuditAnchors.Anchoring(
                        sources.stream()
                                .flatMap(s -> s.anchors().stream())
                                .sorted(Comparator.comparingLong(AuditAnchor::seq))
                                .toList(),
                        sources.stream()
                                .map(AuditAnchors.Anchoring::trust)
                                .filter(t -> t != null)
                                .findFirst()
                                .orElse("unpinned"),
                        sources.stream().flatMap(s -> s.sinks().stream()).toList());
        return walk(all.anchors()).as(all);
    }

    private Verification walk(List<AuditAnchor> anchors) {
        for (AuditAnchor anchor : anchors) {
            if (!anchor.authentic()) {
                long seq = anchor.namesARecord() ? seqOf(anchor.recordId()) : anchor.seq();
                return broken(
                        seq - 1,
                        seq,
                        "forged-anchor",
                        anchor.source() + " does not carry a valid signature of a trusted key");
            }
        }
        Map<Long, List<AuditAnchor>> bySeq =
                anchors.stream()
                        .filter(a -> !a.namesARecord())
                        .collect(Collectors.groupingBy(AuditAnchor::seq));
        Map<UUID, List<AuditAnchor>> byRecord =
                anchors.stream()
                        .filter(AuditAnchor::namesARecord)
                        .collect(
                                Collectors.groupingBy(
                                        AuditAnchor::recordId, HashMap::new, Collectors.toList()));
        var head = jdbc.queryForMap("select seq, hash from audit_chain_head where id = 1");
        long headSeq = ((Number) head.get("seq")).longValue();
        long expected = 1;
        String previous = AuditChain.GENESIS;
        long after = 0;
        while (true) {
            var rows =
                    jdbc.query(
                            "select * from audit_records where seq > ? order by seq limit " + PAGE,
                            AuditVerifier::row,
                            after);
            for (Row row : rows) {
                if (row.seq() == null || row.seq() != expected) {
                    return broken(
                            expected - 1,
                            expected,
                            "missing",
                            "record " + expected + " is missing; the next one is " + row.seq());
                }
                if (!AuditChain.hash(row.prevHash(), row.canonical()).equals(row.hash())) {
                    return broken(
                            expected - 1,
                            row.seq(),
                            "changed",
                            "record " + row.seq() + " does not match its hash");
                }
                if (!row.prevHash().equals(previous)) {
                    return broken(
                            expected - 1,
                            row.seq(),
                            "reordered",
                            "record "
                                    + row.seq()
                                    + " does not follow record "
                                    + (row.seq() - 1)
                                    + " in the chain");
                }
                for (AuditAnchor anchor : byRecord.getOrDefault(row.id(), List.of())) {
                    if (!anchor.contentHash().equals(AuditChain.contentHash(row.canonical()))) {
                        return broken(
                                expected - 1,
                                row.seq(),
                                "changed",
                                "record "
                                        + row.seq()
                                        + " is not the record "
                                        + anchor.source()
                                        + " signed");
                    }
                }
                byRecord.remove(row.id());
                for (AuditAnchor anchor : bySeq.getOrDefault(row.seq(), List.of())) {
                    if (!anchor.hash().equals(row.hash())) {
                        return broken(
                                expected - 1,
                                row.seq(),
                                "rewritten",
                                "record "
                                        + row.seq()
                                        + " is not the record "
                                        + anchor.source()
                                        + " signed: the chain was rewritten at or before it");
                    }
                }
                previous = row.hash();
                expected++;
                after = row.seq();
            }
            if (rows.size() < PAGE) {
                break;
            }
        }
        long records = expected - 1;
        if (!anchors.isEmpty() && anchors.get(anchors.size() - 1).seq() > records) {
            AuditAnchor last = anchors.get(anchors.size() - 1);
            return broken(
                    records,
                    records + 1,
                    "missing",
                    last.source()
                            + " signed record "
                            + last.seq()
                            + ", but the chain ends at record "
                            + records
                            + ": records were cut off its end");
        }
        for (List<AuditAnchor> unmatched : byRecord.values()) {
            AuditAnchor anchor = unmatched.get(0);
            return broken(
                    records,
                    records + 1,
                    "missing",
                    anchor.source()
                            + " names record "
                            + anchor.recordId()
                            + ", which is not in the chain: records were removed");
        }
        if (records != headSeq) {
            return broken(
                    records,
                    records + 1,
                    "missing",
                    "the chain ends at record " + records + " but " + headSeq + " were appended");
        }
        if (!previous.equals(head.get("hash"))) {
            return broken(
                    records, records, "changed", "the last record does not match the chain head");
        }
        return Verification.intact(records);
    }

    private long seqOf(UUID recordId) {
        List<Long> seq =
                jdbc.queryForList(
                        "select seq from audit_records where id = ? and seq is not null",
                        Long.class,
                        recordId);
        return seq.isEmpty() ? 1 : seq.get(0);
    }

    /** Every chained record in sequence order, streamed. */
    void each(Consumer<Row> consumer) {
        jdbc.query(
                "select * from audit_records where seq is not null order by seq",
                rs -> {
                    consumer.accept(row(rs, 0));
                });
    }

    private static Verification broken(long intact, long seq, String reason, String detail) {
        return new Verification(false, intact, seq, reason, detail, null, null);
    }

    static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(
                (Long) rs.getObject("seq", Long.class),
                rs.getObject("id", UUID.class),
                rs.getObject("at", OffsetDateTime.class),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getObject("operation_id", UUID.class),
                rs.getObject("device_id", UUID.class),
                rs.getObject("host_id", UUID.class),
                rs.getString("step"),
                rs.getString("outcome"),
                rs.getString("detail"),
                rs.getString("prev_hash"),
                rs.getString("hash"));
    }
}
