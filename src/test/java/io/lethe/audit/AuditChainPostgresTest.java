package io.lethe.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** Audit tampering detected on the real PostgreSQL server, and the sealer's plans there. */
@RequiresPostgres
class AuditChainPostgresTest extends AuditChainContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry);
    }

    /**
     * Statistics are normally gathered while (almost) every record is sealed, so PostgreSQL takes
     * {@code seq is null} to match next to nothing. The sealer's update runs as a server-side
     * prepared statement, planned once for any parameters: if it may find its row through the index
     * of sequence numbers, it reads every unsealed record (and every dead version of one) for each
     * record it seals, and a backlog of thousands takes minutes to seal.
     */
    @Test
    void sealingARecordFindsItByItsIdWhateverTheStatisticsSay() {
        audit.seal();
        jdbc.execute("analyze audit_records");
        var tx = new TransactionTemplate(transactions);
        for (int i = 0; i < 20; i++) {
            tx.executeWithoutResult(
                    s ->
                            audit.append(
                                    new AuditEntry(
                                            "test", "backlog", null, null, null, null, null, "x")));
        }

        List<String> plan =
                jdbc.execute(
                        (ConnectionCallback<List<String>>)
                                c -> {
                                    try (var s = c.createStatement()) {
                                        s.execute("set plan_cache_mode = force_generic_plan");
                                        s.execute(
                                                "prepare sealing_update as "
                                                        + numbered(AuditSealer.SEAL_RECORD));
                                        var lines = new ArrayList<String>();
                                        try (var rs =
                                                s.executeQuery(
                                                        "explain execute sealing_update(1, 'a', 'b',"
                                                                + " gen_random_uuid())")) {
                                            while (rs.next()) {
                                                lines.add(rs.getString(1));
                                            }
                                        }
                                        s.execute("deallocate sealing_update");
                                        s.execute("reset plan_cache_mode");
                                        return lines;
                                    }
                                });

        assertThat(String.join("\n", plan))
                .contains("audit_records_pkey")
                .doesNotContain("uk_audit_records_seq");
        audit.seal();
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from audit_records where seq is null", Long.class))
                .isZero();
    }

    /** JDBC's {@code ?} placeholders as PostgreSQL's {@code $1, $2, ...}. */
    private static String numbered(String statement) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char c : statement.toCharArray()) {
            if (c == '?') {
                out.append('$').append(++n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
