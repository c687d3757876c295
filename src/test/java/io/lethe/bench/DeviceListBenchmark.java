package io.lethe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.LetheApplication;
import io.lethe.common.Ids;
import io.lethe.support.Api;
import io.lethe.support.PostgresTestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Device list at depth: 100,000 devices, then the first, middle and last page of 100 over HTTP,
 * unfiltered and filtered by status, each the median of many requests. For contrast, the same last
 * page fetched with OFFSET straight from the database. Run with {@code ./mvnw -Pbenchmark test}.
 */
@Tag("benchmark")
class DeviceListBenchmark {

    static final int DEVICES = 100_000;
    static final int HOSTS = 100;
    static final int PAGE = 100;

    @Test
    void lastPageCostsAboutWhatTheFirstDoesOnH2() throws Exception {
        Path dir = Files.createTempDirectory("lethe-bench");
        run(
                "H2 (embedded file)",
                "--lethe.data-dir=" + dir,
                "--spring.datasource.url=jdbc:h2:file:"
                        + dir
                        + "/lethe;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
    }

    @Test
    void lastPageCostsAboutWhatTheFirstDoesOnPostgres() throws Exception {
        String schema = PostgresTestDatabase.newSchema();
        run(
                "PostgreSQL 15",
                "--spring.datasource.url=" + PostgresTestDatabase.URL + "?currentSchema=" + schema,
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.flyway.schemas=" + schema,
                "--spring.flyway.default-schema=" + schema,
                // on PostgreSQL the secrets key must come from outside the data directory
                "--lethe.secrets.key=" + PostgresTestDatabase.TEST_SECRETS_KEY,
                "--lethe.data-dir=" + Files.createTempDirectory("lethe-bench"));
    }

    private void run(String database, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--server.port=0");
        all.add("--db-scheduler.enabled=false");
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run(all.toArray(String[]::new))) {
            JdbcTemplate jdbc = new JdbcTemplate(app.getBean(DataSource.class));
            List<UUID> ids = seed(jdbc);
            Api api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());

            String middle = cursorAfter(ids.get(DEVICES / 2 - 1));
            String last = cursorAfter(ids.get(DEVICES - PAGE - 1));
            // warm-up: JIT, connection pool, database caches
            for (int i = 0; i < 200; i++) {
                api.get("/api/v1/devices?limit=" + PAGE);
                api.get("/api/v1/devices?limit=" + PAGE + "&cursor=" + last);
            }
            double first = median(() -> api.get("/api/v1/devices?limit=" + PAGE));
            double mid =
                    median(() -> api.get("/api/v1/devices?limit=" + PAGE + "&cursor=" + middle));
            double end = median(() -> api.get("/api/v1/devices?limit=" + PAGE + "&cursor=" + last));
            double firstFiltered =
                    median(() -> api.get("/api/v1/devices?status=available&limit=" + PAGE));
            double endFiltered =
                    median(
                            () ->
                                    api.get(
                                            "/api/v1/devices?status=available&limit="
                                                    + PAGE
                                                    + "&cursor="
                                                    + last));
            double offsetLast =
                    medianSql(
                            jdbc,
                            "select * from devices order by id limit "
                                    + PAGE
                                    + " offset "
                                    + (DEVICES - PAGE));
            double keysetLast =
                    medianSql(
                            jdbc,
                            "select * from devices where id > '"
                                    + ids.get(DEVICES - PAGE - 1)
                                    + "' order by id limit "
                                    + (PAGE + 1));

            assertThat(
                            api.get("/api/v1/devices?limit=" + PAGE + "&cursor=" + last)
                                    .json()
                                    .get("nextCursor")
                                    .isNull())
                    .as("the last page is the last")
                    .isTrue();
            System.out.printf(
                    Locale.ROOT,
                    "%nBENCHMARK device list, %s, %,d devices, page of %d (median of 100, ms)%n",
                    database,
                    DEVICES,
                    PAGE);
            System.out.printf(Locale.ROOT, "  HTTP first page            %7.2f%n", first);
            System.out.printf(Locale.ROOT, "  HTTP middle page           %7.2f%n", mid);
            System.out.printf(
                    Locale.ROOT,
                    "  HTTP last page             %7.2f  (last/first = %.2f)%n",
                    end,
                    end / first);
            System.out.printf(Locale.ROOT, "  HTTP first page, status=   %7.2f%n", firstFiltered);
            System.out.printf(
                    Locale.ROOT,
                    "  HTTP last page, status=    %7.2f  (last/first = %.2f)%n",
                    endFiltered,
                    endFiltered / firstFiltered);
            System.out.printf(Locale.ROOT, "  SQL last page, keyset      %7.2f%n", keysetLast);
            System.out.printf(
                    Locale.ROOT,
                    "  SQL last page, OFFSET      %7.2f  (for contrast)%n%n",
                    offsetLast);
        }
    }

    private static List<UUID> seed(JdbcTemplate jdbc) {
        Timestamp now = Timestamp.from(Instant.now());
        List<UUID> hosts = new ArrayList<>();
        for (int h = 0; h < HOSTS; h++) {
            UUID host = Ids.newId();
            hosts.add(host);
            jdbc.update(
                    "insert into hosts (id, name, backend_type, cache_invalidation, created_at, updated_at) values (?, ?, 'simulated-x86', 'supported', ?, ?)",
                    host,
                    "bench-" + host,
                    now,
                    now);
        }
        List<UUID> ids = new ArrayList<>(DEVICES);
        List<Object[]> batch = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            UUID id = Ids.newId();
            ids.add(id);
            batch.add(new Object[] {id, hosts.get(i % HOSTS), "BENCH-" + i, now, now});
            if (batch.size() == 5_000) {
                insert(jdbc, batch);
            }
        }
        insert(jdbc, batch);
        ids.sort(null);
        return ids;
    }

    private static void insert(JdbcTemplate jdbc, List<Object[]> batch) {
        jdbc.batchUpdate(
                "insert into devices (id, host_id, kind, serial, manufacturer, model, capacity_bytes, security_state, status, created_at, updated_at) "
                        + "values (?, ?, 'cxl-memdev', ?, 'Acme', 'AM-1', 68719476736, 'disabled', 'available', ?, ?)",
                batch);
        batch.clear();
    }

    private static String cursorAfter(UUID id) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(id.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static double median(Supplier<Api.Response> call) {
        double[] ms = new double[100];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            Api.Response r = call.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("items")).hasSize(PAGE);
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static double medianSql(JdbcTemplate jdbc, String sql) {
        double[] ms = new double[100];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            jdbc.queryForList(sql);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }
}
