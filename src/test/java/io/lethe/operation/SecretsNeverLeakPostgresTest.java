package io.lethe.operation;

import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
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

    @Autowired JdbcTemplate jdbc;

    /**
     * The heap files of the schema's tables (and their TOAST), read after a checkpoint wrote them
     * out.
     */
    @Override
    String rawFiles() throws Exception {
        jdbc.execute("checkpoint");
        String dataDirectory = jdbc.queryForObject("show data_directory", String.class);
        List<String> files =
                jdbc.queryForList(
                        "select pg_relation_filepath(c.oid) from pg_class c join pg_namespace n "
                                + "on n.oid = c.relnamespace where n.nspname = ? and c.relkind in ('r', 't')",
                        String.class,
                        schema);
        List<String> toast =
                jdbc.queryForList(
                        "select pg_relation_filepath(c.reltoastrelid) from pg_class c join pg_namespace n "
                                + "on n.oid = c.relnamespace where n.nspname = ? and c.relkind = 'r' and c.reltoastrelid <> 0",
                        String.class,
                        schema);
        StringBuilder all = new StringBuilder();
        for (String file : Stream.concat(files.stream(), toast.stream()).toList()) {
            Path path = Path.of(dataDirectory, file);
            if (Files.exists(path)) {
                all.append(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1));
            }
        }
        if (all.isEmpty()) {
            throw new IllegalStateException(
                    "cannot read PostgreSQL's files under "
                            + dataDirectory
                            + " (this test reads them as"
                            + " a thief with the disk would: run it as a user who can)");
        }
        return all.toString();
    }

    @Override
    String storedData() throws Exception {
        Process dump =
                new ProcessBuilder(
                                List.of(
                                        "pg_dump",
                                        "-h",
                                        "127.0.0.1",
                                        "-U",
                                        PostgresTestDatabase.USER,
                                        "-n",
                                        schema,
                                        PostgresTestDatabase.database()))
                        .redirectErrorStream(true)
                        .start();
        String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (dump.waitFor() != 0) {
            throw new IllegalStateException("pg_dump failed: " + text);
        }
        return text;
    }
}
