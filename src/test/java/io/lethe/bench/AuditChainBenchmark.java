package io.lethe.bench;

import io.lethe.LetheApplication;
import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.common.Ids;
import io.lethe.support.PostgresTestDatabase;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the audit hash chain costs: transactions that each append one audit record, from 8 threads,
 * through the audit log (the chain is sealed in batches afterwards, timed separately) and, as the
 * baseline in the same run, the same inserts without the chain. Run with {@code ./mvnw -Pbenchmark
 * test -Dtest=AuditChainBenchmark}.
 */
@Tag("benchmark")
class AuditChainBenchmark {

    static final int THREADS = 8;
    static final int PER_THREAD = 1_000;

    @Test
    void chainCostOnH2() throws Exception {
        var dir = Files.createTempDirectory("lethe-audit-bench");
        run(
                "H2 (embedded file)",
                "--lethe.data-dir=" + dir,
                "--spring.datasource.url=jdbc:h2:file:"
                        + dir
                        + "/lethe;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
    }

    @Test
    void chainCostOnPostgres() throws Exception {
        String schema = PostgresTestDatabase.newSchema();
        run(
                "PostgreSQL 15",
                "--spring.datasource.url=" + PostgresTestDatabase.URL + "?currentSchema=" + schema,
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.flyway.schemas=" + schema,
                "--spring.flyway.default-schema=" + schema,
                // on PostgreSQL the secrets key must come from outside the data directory
                "--lethe.secrets.key=" + PostgresTestDatabase.TEST_SECRETS_KEY,
                "--lethe.data-dir=" + Files.createTempDirectory("lethe-audit-bench"));
    }

    private void run(String database, String... args) throws Exception {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--server.port=0");
        all.add("--db-scheduler.enabled=false");
        // sealing is timed on its own below
        all.add("--lethe.audit.seal-interval=PT1H");
        all.add("--spring.datasource.hikari.maximum-pool-size=" + (THREADS + 2));
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run(all.toArray(String[]::new))) {
            AuditLog audit = app.getBean(AuditLog.class);
            JdbcTemplate jdbc = new JdbcTemplate(app.getBean(DataSource.class));
            TransactionTemplate tx =
                    new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
            Runnable chained =
                    () ->
                            tx.executeWithoutResult(
                                    s ->
                                            audit.append(
                                                    new AuditEntry(
                                                            "bench",
                                                            "step-succeeded",
                                                            Ids.newId(),
                                                            Ids.newId(),
                                                            Ids.newId(),
                                                            "erase",
                                                            "succeeded",
                                                            "benchmark record")));
            Runnable plain =
                    () ->
                            tx.executeWithoutResult(
                                    s ->
                                            jdbc.update(
                                                    "insert into audit_records (id, at, actor, action, "
                                                            + "operation_id, device_id, host_id, step, outcome, detail) values (?, ?, 'bench', 'step-succeeded', ?, ?, ?, "
                                                            + "'erase', 'succeeded', 'benchmark record')",
                                                    Ids.newId(),
                                                    Timestamp.from(Instant.now()),
                                                    Ids.newId(),
                                                    Ids.newId(),
                                                    Ids.newId()));
            measure(plain, 200);
            measure(chained, 200);
            double plainRate = measure(plain, PER_THREAD);
            double chainedRate = measure(chained, PER_THREAD);
            double singleThread = measureSingle(chained, 2_000);
            long backlog =
                    jdbc.queryForObject(
                            "select count(*) from audit_records where seq is null", Long.class);
            long sealStart = System.nanoTime();
            audit.seal();
            double sealRate = backlog / ((System.nanoTime() - sealStart) / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "%nBENCHMARK audit chain, %s, %d threads x %d transactions%n",
                    database,
                    THREADS,
                    PER_THREAD);
            System.out.printf(Locale.ROOT, "  plain insert + commit       %8.0f tx/s%n", plainRate);
            System.out.printf(
                    Locale.ROOT,
                    "  chained append + commit     %8.0f tx/s  (%.0f%% of plain)%n",
                    chainedRate,
                    100 * chainedRate / plainRate);
            System.out.printf(
                    Locale.ROOT, "  chained, one thread         %8.0f tx/s%n", singleThread);
            System.out.printf(
                    Locale.ROOT,
                    "  sealing the backlog         %8.0f records/s (%d records)%n",
                    sealRate,
                    backlog);
            System.out.printf(
                    Locale.ROOT,
                    "  records chained: %d%n%n",
                    jdbc.queryForObject(
                            "select count(*) from audit_records where seq is not null",
                            Long.class));
        }
    }

    private static double measure(Runnable transaction, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(
                    pool.submit(
                            () -> {
                                for (int i = 0; i < perThread; i++) {
                                    transaction.run();
                                }
                            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return THREADS * perThread / ((System.nanoTime() - start) / 1e9);
    }

    private static double measureSingle(Runnable transaction, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            transaction.run();
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
