package io.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.LetheApplication;
import io.lethe.support.Api;
import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import io.lethe.support.TestInventory;
import io.lethe.support.Tools;
import java.io.File;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A real Prometheus scrapes two replicas of Lethe on one PostgreSQL database while operations run;
 * then every PromQL expression of the Grafana dashboard is evaluated through Prometheus's HTTP API
 * and must return data, and the fleet panels must show the fleet's numbers, not one per replica
 * added up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RequiresPostgres
class PrometheusDashboardTest {

    static String schema;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        schema = PostgresTestDatabase.register(registry);
    }

    @LocalServerPort int port;
    @TempDir Path dir;
    Process prometheus;
    ConfigurableApplicationContext second;

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.destroyForcibly();
        }
        if (second != null) {
            second.close();
        }
    }

    /** A second replica in this JVM, on the same schema. */
    private int secondReplica() {
        String url =
                PostgresTestDatabase.URL
                        + (PostgresTestDatabase.URL.contains("?") ? "&" : "?")
                        + "currentSchema="
                        + schema;
        second =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run(
                                "--server.port=0",
                                "--spring.datasource.url=" + url,
                                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                                "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
                                "--spring.flyway.schemas=" + schema,
                                "--spring.flyway.default-schema=" + schema,
                                "--lethe.secrets.key=" + PostgresTestDatabase.TEST_SECRETS_KEY);
        return ((WebServerApplicationContext) second).getWebServer().getPort();
    }

    @Test
    void everyDashboardQueryReturnsDataFromARealPrometheus() throws Exception {
        Path binary = Tools.require("prometheus");
        int promPort;
        try (ServerSocket s = new ServerSocket(0)) {
            promPort = s.getLocalPort();
        }
        Path config =
                Files.writeString(
                        dir.resolve("prometheus.yml"),
                        """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: lethe
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d', '127.0.0.1:%d']
                """
                                .formatted(port, secondReplica()));
        prometheus =
                new ProcessBuilder(
                                binary.toString(),
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                                "--web.listen-address=127.0.0.1:" + promPort)
                        .redirectErrorStream(true)
                        .redirectOutput(new File(dir.resolve("prometheus.log").toString()))
                        .start();
        Api prom = new Api(promPort, null);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(
                        () ->
                                query(prom, "count(up{job=\"lethe\"} == 1)")
                                        .path(0)
                                        .path("value")
                                        .path(1)
                                        .asString("")
                                        .equals("2"));

        workload(new Api(port));
        Thread.sleep(4_000);

        JsonNode dashboard =
                Api.JSON.readTree(Files.readString(Path.of("helm/lethe/dashboards/lethe.json")));
        List<String> empty = new ArrayList<>();
        int expressions = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions++;
                JsonNode result = query(prom, target.get("expr").asString());
                boolean hasNumber =
                        result.valueStream()
                                .anyMatch(
                                        series -> {
                                            String v = series.path("value").path(1).asString("NaN");
                                            return !v.equals("NaN") && !v.contains("Inf");
                                        });
                if (!hasNumber) {
                    empty.add(
                            panel.get("title").asString()
                                    + ": "
                                    + target.get("expr").asString()
                                    + " -> "
                                    + result);
                }
            }
        }
        assertThat(expressions).isGreaterThanOrEqualTo(10);
        assertThat(empty).as("dashboard queries without data").isEmpty();

        // Fleet gauges: each replica reports the whole fleet, the panels must not add them up.
        Api api = new Api(port);
        long available =
                api.get("/api/v1/devices?status=available&limit=1000").json().get("items").size();
        long quarantined =
                api.get("/api/v1/devices?status=quarantined&limit=1000").json().get("items").size();
        String devicesByStatus = expr(dashboard, "Devices by status", 0);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            assertThat(value(query(prom, devicesByStatus), "status", "available"))
                                    .as(devicesByStatus)
                                    .isEqualTo(available);
                            assertThat(
                                            value(
                                                    query(
                                                            prom,
                                                            expr(
                                                                    dashboard,
                                                                    "Quarantined devices",
                                                                    0)),
                                                    null,
                                                    null))
                                    .isEqualTo(quarantined);
                        });
        assertThat(value(query(prom, "sum by (status) (lethe_devices)"), "status", "available"))
                .as("both replicas report the fleet: a sum would show it twice")
                .isEqualTo(2 * available);
        // Per-replica counters: each replica counts its own, the sum is the fleet's.
        long ended =
                api.get("/api/v1/operations?limit=1000")
                        .json()
                        .get("items")
                        .valueStream()
                        .filter(Api::ended)
                        .count();
        assertThat(value(query(prom, "sum(lethe_operations_total)"), null, null)).isEqualTo(ended);
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.path("description").asString(""))
                    .as("%s says how it aggregates replicas", panel.get("title"))
                    .containsAnyOf(
                            "max across replicas",
                            "sums across replicas",
                            "summed across replicas");
        }
    }

    private static String expr(JsonNode dashboard, String title, int target) {
        return dashboard
                .get("panels")
                .valueStream()
                .filter(p -> p.get("title").asString().equals(title))
                .findFirst()
                .orElseThrow()
                .get("targets")
                .get(target)
                .get("expr")
                .asString();
    }

    /**
     * The value of the series whose label has the value (or the only series when label is null), as
     * a whole number.
     */
    private static long value(JsonNode result, String label, String labelValue) {
        for (JsonNode series : result) {
            if (label == null
                    || labelValue.equals(series.path("metric").path(label).asString(""))) {
                return Math.round(Double.parseDouble(series.path("value").path(1).asString("NaN")));
            }
        }
        return label == null ? 0 : -1;
    }

    /** Erases that succeed, one that is retried (a backend error) and one that fails. */
    private static void workload(Api api) {
        String ok =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "prom-ok",
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT0.5S"),
                                                        "faults",
                                                        Map.of("detach-region", "fail-once")))))
                        .id();
        String bad =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "prom-bad",
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "faults",
                                                        Map.of("invalidate-cache", "fail")))))
                        .id();
        List<String> ops = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add(TestInventory.device(api, ok, "PROM-" + i));
        }
        api.post(
                "/api/v1/hosts/" + ok + "/regions",
                Api.json(
                        Map.of(
                                "name",
                                "r0",
                                "deviceIds",
                                members.subList(0, 2),
                                "sizeBytes",
                                1024)));
        for (String device : members) {
            ops.add(
                    api.post(
                                    "/api/v1/devices/" + device + "/secure-erase",
                                    "{\"method\": \"sanitize\"}")
                            .id());
        }
        String failing =
                api.post(
                                "/api/v1/hosts/" + bad + "/devices",
                                "{\"serial\": \"PROM-BAD\", \"kind\": \"nvdimm\", \"capacityBytes\": 1024}")
                        .id();
        ops.add(
                api.post(
                                "/api/v1/devices/" + failing + "/decommission",
                                "{\"method\": \"overwrite\"}")
                        .id());
        ops.forEach(op -> api.awaitEnd(op, Duration.ofSeconds(60)));
    }

    private static JsonNode query(Api prom, String expr) {
        JsonNode response =
                prom.get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))
                        .json();
        assertThat(response.path("status").asString())
                .as(expr + " -> " + response)
                .isEqualTo("success");
        return response.path("data").path("result");
    }
}
