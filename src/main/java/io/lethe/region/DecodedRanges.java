package io.lethe.region;

import io.lethe.common.Ids;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The host's ledger of address ranges whose lines may still be cached from regions since removed:
 * cache lines belong to host-physical addresses, so a region declared over such a range could read
 * another device's, or another tenant's, lines. A range leaves the ledger once an invalidation
 * numbered after it stopped decoding has succeeded. Written under the host's order lock.
 */
@Component
class DecodedRanges {

    private final JdbcTemplate jdbc;

    DecodedRanges(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A removed region's range may have lines cached until host order {@code stoppedSeq}. */
    @Transactional(propagation = Propagation.MANDATORY)
    void stoppedDecoding(UUID hostId, long base, long size, long stoppedSeq) {
        jdbc.update(
                "insert into decoded_ranges (id, host_id, base_address, size_bytes, stopped_seq)"
                        + " values (?, ?, ?, ?, ?)",
                Ids.newId(),
                hostId,
                base,
                size,
                stoppedSeq);
    }

    /**
     * The highest host order number until which a range overlapping {@code [base, base + size)}
     * decoded with no invalidation covering it since, or null.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Long uncoveredUntil(UUID hostId, long base, long size) {
        return jdbc.queryForObject(
                "select max(stopped_seq) from decoded_ranges where host_id = ?"
                        + " and base_address < ? and ? < base_address + size_bytes",
                Long.class,
                hostId,
                base + size,
                base);
    }

    /** A successful invalidation numbered {@code seq} covers every range that stopped before it. */
    @Transactional(propagation = Propagation.MANDATORY)
    void coveredBy(UUID hostId, long seq) {
        jdbc.update(
                "delete from decoded_ranges where host_id = ? and stopped_seq < ?", hostId, seq);
    }
}
