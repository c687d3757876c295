package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operation's steps record moves out of the aggregate's columns into one typed document,
 * {@code operations.ledger}: a step that records something new adds a field to the document, not a
 * column to the engine's table. Every operation stored before keeps what its steps recorded, in the
 * form the engine reads ({@code io.lethe.engine.LedgerDocument}: each value under its name, numbers
 * as numbers, instants as ISO-8601 text, absent ones left out), so an operation in flight during
 * the upgrade resumes where it stopped: its invalidation still compares the same host order number.
 */
public class V24__OperationLedgerDocument extends BaseJavaMigration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String[] OLD_COLUMNS = {
        "media_change_seq",
        "media_changed_at",
        "invalidation_seq",
        "invalidation_started_at",
        "verify_evidence"
    };

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement s = connection.createStatement()) {
            s.execute("alter table operations add column ledger varchar(4000)");
        }
        try (Statement read = connection.createStatement();
                ResultSet rows =
                        read.executeQuery(
                                "select id, media_change_seq, media_changed_at, invalidation_seq,"
                                        + " invalidation_started_at, verify_evidence from operations"
                                        + " where media_change_seq is not null"
                                        + " or media_changed_at is not null"
                                        + " or invalidation_seq is not null"
                                        + " or invalidation_started_at is not null"
                                        + " or verify_evidence is not null");
                PreparedStatement write =
                        connection.prepareStatement(
                                "update operations set ledger = ? where id = ?")) {
            int pending = 0;
            while (rows.next()) {
                Map<String, Object> document = new LinkedHashMap<>();
                put(document, "mediaChangeSeq", rows.getObject(2, Long.class));
                put(document, "mediaChangedAt", rows.getObject(3, OffsetDateTime.class));
                put(document, "invalidationSeq", rows.getObject(4, Long.class));
                put(document, "invalidationStartedAt", rows.getObject(5, OffsetDateTime.class));
                put(document, "verifyEvidence", rows.getString(6));
                write.setString(1, JSON.writeValueAsString(document));
                write.setObject(2, rows.getObject(1));
                write.addBatch();
                if (++pending == 500) {
                    write.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
        try (Statement s = connection.createStatement()) {
            for (String column : OLD_COLUMNS) {
                s.execute("alter table operations drop column " + column);
            }
        }
    }

    private static void put(Map<String, Object> document, String name, Object value) {
        if (value instanceof OffsetDateTime at) {
            document.put(name, at.toInstant().toString());
        } else if (value != null) {
            document.put(name, value);
        }
    }
}
