package io.lethe.operation;

import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The secrets scan on PostgreSQL: a pg_dump of the test's schema. */
@RequiresPostgres
class SecretsNeverLeakPostgresTest extends SecretsNeverLeakContract {

    static String schema;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        schema = PostgresTestDatabase.register(registry);
    }

    @Override
    String storedData() throws Exception {
        Process dump = new ProcessBuilder(List.of("pg_dump", "-h", "127.0.0.1", "-U", PostgresTestDatabase.USER, "-n", schema,
                PostgresTestDatabase.database())).redirectErrorStream(true).start();
        String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (dump.waitFor() != 0) {
            throw new IllegalStateException("pg_dump failed: " + text);
        }
        return text;
    }
}
