package io.lethe.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real PostgreSQL server for tests. The URL comes from {@code LETHE_TEST_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}); every test context gets a schema of its own,
 * named with its creation time so that later runs can drop what earlier ones left (the simulated
 * hardware's schema beside it, {@code <schema>_simulated}, included).
 */
public final class PostgresTestDatabase {

    public static final String URL =
            env("LETHE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = env("LETHE_TEST_POSTGRES_USER", "postgres");
    public static final String PASSWORD = env("LETHE_TEST_POSTGRES_PASSWORD", "");
    private static final String PREFIX = "lethe_t_";

    private PostgresTestDatabase() {}

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    /** Creates a fresh schema, dropping test schemas older than two hours, and returns its name. */
    public static String newSchema() {
        long now = System.currentTimeMillis();
        String schema =
                PREFIX
                        + now
                        + "_"
                        + Integer.toHexString(
                                ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            List<String> stale = new ArrayList<>();
            try (ResultSet rs =
                    s.executeQuery(
                            "select nspname from pg_namespace where nspname like '"
                                    + PREFIX
                                    + "%'")) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String[] parts = name.substring(PREFIX.length()).split("_");
                    // the schema itself, or the simulated hardware's beside it (..._simulated)
                    if (parts.length >= 2
                            && now - Long.parseLong(parts[0]) > TimeUnit.HOURS.toMillis(2)) {
                        stale.add(name);
                    }
                }
            }
            for (String name : stale) {
                s.execute("drop schema if exists " + name + " cascade");
            }
            s.execute("create schema " + schema);
        } catch (SQLException | NumberFormatException e) {
            throw new IllegalStateException("cannot prepare a PostgreSQL test schema at " + URL, e);
        }
        return schema;
    }

    /** The secrets key of PostgreSQL test contexts (base64 of 32 bytes). */
    public static final String TEST_SECRETS_KEY = "cG9zdGdyZXMtdGVzdC1zZWNyZXRzLWtleS0zMmJ5dGU=";

    /** Points a Spring test context at a new schema of its own, and returns the schema's name. */
    public static String register(DynamicPropertyRegistry registry) {
        String schema = newSchema();
        String separator = URL.contains("?") ? "&" : "?";
        registry.add("spring.datasource.url", () -> URL + separator + "currentSchema=" + schema);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
        registry.add("spring.flyway.schemas", () -> schema);
        registry.add("spring.flyway.default-schema", () -> schema);
        // on PostgreSQL the service takes its secrets key only from outside the data directory
        registry.add("lethe.secrets.key", () -> TEST_SECRETS_KEY);
        return schema;
    }

    /** The database name in {@link #URL}. */
    public static String database() {
        String path = URL.substring(URL.indexOf("//") + 2);
        path = path.substring(path.indexOf('/') + 1);
        return path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
