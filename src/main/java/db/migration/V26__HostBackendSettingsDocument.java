package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A host keeps its backend's settings as the backend's own document, {@code
 * hosts.backend_settings}, and its secret in {@code hosts.backend_secret_enc}, instead of a column
 * per setting of every backend: a new backend adds no column to the inventory's table. Each host
 * keeps what it had, in the form its backend reads (simulated: {@code virtualized}, {@code
 * latencies}, {@code faults}; agent: {@code url}); the agent token moves sealed as it was, since it
 * is sealed for the host and the URL, not for a column.
 */
public class V26__HostBackendSettingsDocument extends BaseJavaMigration {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement s = connection.createStatement()) {
            s.execute(
                    "alter table hosts add column backend_settings varchar(8000) default '{}' not null");
            s.execute("alter table hosts add column backend_secret_enc varchar(2048)");
        }
        try (Statement read = connection.createStatement();
                ResultSet rows =
                        read.executeQuery(
                                "select id, backend_type, virtualized, latencies, faults, agent_url,"
                                        + " agent_token_enc from hosts");
                PreparedStatement write =
                        connection.prepareStatement(
                                "update hosts set backend_settings = ?, backend_secret_enc = ?"
                                        + " where id = ?")) {
            while (rows.next()) {
                Map<String, Object> document = new LinkedHashMap<>();
                if ("host-agent".equals(rows.getString(2))) {
                    document.put("url", rows.getString(6));
                } else {
                    document.put("virtualized", rows.getBoolean(3));
                    document.put("latencies", strings(rows.getString(4)));
                    document.put("faults", strings(rows.getString(5)));
                }
                write.setString(1, JSON.writeValueAsString(document));
                write.setString(2, rows.getString(7));
                write.setObject(3, rows.getObject(1));
                write.addBatch();
            }
            write.executeBatch();
        }
        try (Statement s = connection.createStatement()) {
            for (String old :
                    new String[] {
                        "virtualized", "latencies", "faults", "agent_url", "agent_token_enc"
                    }) {
                s.execute("alter table hosts drop column " + old);
            }
        }
    }

    private static Map<String, String> strings(String json) {
        return json == null || json.isBlank() ? Map.of() : JSON.readValue(json, STRINGS);
    }
}
