package io.lethe.audit;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links committed audit records into the hash chain, in batches. It locks the chain head, takes the
 * unsealed records in (time, id) order, gives each the next sequence number and its hash over the
 * previous one, and moves the head, all in one transaction. The head's row lock makes one replica
 * seal at a time; appends never wait for it. See docs/audit.md for why.
 */
@Component
class AuditSealer {

    private static final int BATCH = 5_000;

    /**
     * Seals one record, found by its id alone. The head's lock already makes the records read
     * unsealed stay so until this transaction ends; a condition on {@code seq} as well would let
     * PostgreSQL plan the update through the index of sequence numbers (statistics gathered while
     * every record was sealed say {@code seq is null} matches nothing), reading the whole backlog
     * for each record sealed.
     */
    static final String SEAL_RECORD =
            "update audit_records set seq = ?, prev_hash = ?, hash = ? where id = ?";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    AuditSealer(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
    }

    /** The chain's head as committed. */
    ChainHead head() {
        var head = jdbc.queryForMap("select seq, hash from audit_chain_head where id = 1");
        return new ChainHead(((Number) head.get("seq")).longValue(), (String) head.get("hash"));
    }

    @Scheduled(fixedDelayString = "${lethe.audit.seal-interval:PT0.2S}")
    void sealPeriodically() {
        seal();
    }

    /** Seals everything committed so far; returns how many records it chained. */
    int seal() {
        int total = 0;
        int sealed;
        do {
            sealed = tx.execute(s -> sealBatch());
            total += sealed;
        } while (sealed == BATCH);
        return total;
    }

    private int sealBatch() {
        var head =
                jdbc.queryForMap("select seq, hash from audit_chain_head where id = 1 for update");
        List<AuditVerifier.Row> rows =
                jdbc.query(
                        "select * from audit_records where seq is null order by at, id limit "
                                + BATCH,
                        AuditVerifier::row);
        if (rows.isEmpty()) {
            return 0;
        }
        long seq = ((Number) head.get("seq")).longValue();
        String hash = (String) head.get("hash");
        List<Object[]> updates = new ArrayList<>(rows.size());
        for (AuditVerifier.Row row : rows) {
            String next = AuditChain.hash(hash, row.canonical());
            updates.add(new Object[] {++seq, hash, next, row.id()});
            hash = next;
        }
        for (int count : jdbc.batchUpdate(SEAL_RECORD, updates)) {
            if (count == 0) {
                // Records are never deleted: the chain would get a hole, so nothing of it commits.
                throw new IllegalStateException("an audit record vanished while it was sealed");
            }
        }
        jdbc.update("update audit_chain_head set seq = ?, hash = ? where id = 1", seq, hash);
        return rows.size();
    }
}
