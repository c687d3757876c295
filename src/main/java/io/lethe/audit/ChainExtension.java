package io.lethe.audit;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Checks that the chain still extends a checkpoint kept outside the database, from that record to a
 * head read before: the check made before a new checkpoint is signed, so its cost is the records
 * since, not the whole chain.
 */
@Component
class ChainExtension {

    private static final int PAGE = 2_000;
    private final JdbcTemplate jdbc;

    ChainExtension(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Whether the chain from the record at {@code seq} with {@code hash} runs, record by record, to
     * {@code head}: a checkpoint kept outside the database that the chain no longer extends means
     * it was rewritten or cut, and nothing is signed over it.
     */
    boolean extendsTo(long seq, String hash, ChainHead head) {
        if (seq > head.seq()) {
            return false;
        }
        List<AuditVerifier.Row> start =
                jdbc.query("select * from audit_records where seq = ?", AuditVerifier::row, seq);
        if (start.isEmpty()
                || !start.get(0).hash().equals(hash)
                || !AuditChain.hash(start.get(0).prevHash(), start.get(0).canonical())
                        .equals(hash)) {
            return false;
        }
        String previous = hash;
        long after = seq;
        while (after < head.seq()) {
            List<AuditVerifier.Row> rows =
                    jdbc.query(
                            "select * from audit_records where seq > ? and seq <= ? order by seq limit "
                                    + PAGE,
                            AuditVerifier::row,
                            after,
                            head.seq());
            if (rows.isEmpty()) {
                return false;
            }
            for (AuditVerifier.Row row : rows) {
                if (row.seq() != after + 1
                        || !row.prevHash().equals(previous)
                        || !AuditChain.hash(previous, row.canonical()).equals(row.hash())) {
                    return false;
                }
                previous = row.hash();
                after = row.seq();
            }
        }
        return previous.equals(head.hash());
    }
}
