package io.lethe.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.agent.EmulatedAgent;
import io.lethe.agent.EmulatedKernel;
import io.lethe.agent.EmulatedKernel.Memdev;
import io.lethe.agent.EmulatedKernel.Region;
import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A region a host's agent reports is taken under the rules a declaration obeys, over the emulated
 * kernel's sysfs (the regions, their resources and targets as the agent reads them): a member in
 * another region, an address overlap or a member Lethe does not hold available leaves the region
 * out with the reason; and the address rule: a region the kernel decodes over addresses whose lines
 * a removed region may have left cached is not taken, one it keeps reset there is taken with that
 * exposure and commits only after an invalidation. Nothing is recorded for a region left out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DiscoveryAppliesTheDeclarationRulesTest {

    static final String TOKEN = "agent-token-for-discovery-rules-01";

    /** Where the emulated kernel puts regionN: {@code 0x10_0000_0000 + N * 0x1000_0000}. */
    static long base(int region) {
        return 0x10_0000_0000L + region * 0x1000_0000L;
    }

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;

    EmulatedAgent agent;

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aReportedRegionIsTakenOnlyUnderTheDeclarationsRules() throws Exception {
        Path root = Files.createTempDirectory("lethe-discovery-rules-");
        long serials = 0x6D_0000L; // no other test registers these serials
        EmulatedKernel kernel =
                EmulatedKernel.build(
                        root,
                        false,
                        Duration.ofMillis(200),
                        List.of(
                                new Memdev(0, serials, null, false),
                                new Memdev(1, serials + 1, null, false),
                                new Memdev(2, serials + 2, null, false),
                                new Memdev(3, serials + 3, null, false),
                                new Memdev(4, serials + 4, null, false)),
                        List.of(),
                        List.of(
                                new Region(0, List.of(0), true),
                                new Region(1, List.of(1), false),
                                new Region(2, List.of(2), true),
                                new Region(3, List.of(3), true),
                                new Region(4, List.of(2), true),
                                new Region(5, List.of(4), true)));
        // region3's resource overlaps region2's addresses.
        Files.writeString(
                root.resolve("sys/bus/cxl/devices/region3/resource"),
                "0x" + Long.toHexString(base(2)));
        agent = EmulatedAgent.start(kernel, TOKEN);
        Api api = new Api(port);
        UUID host =
                UUID.fromString(
                        TestInventory.agentHost(
                                api, "rules-" + UUID.randomUUID(), agent.url(), TOKEN));
        // As a removal leaves them: region0's and region1's addresses decoded for regions since
        // removed, and no invalidation of the host has covered that.
        long size = 2L * EmulatedKernel.MEDIA;
        for (int r : new int[] {0, 1}) {
            jdbc.update(
                    "insert into decoded_ranges (id, host_id, base_address, size_bytes, stopped_seq)"
                            + " values (?, ?, ?, ?, ?)",
                    UUID.randomUUID(),
                    host,
                    base(r),
                    size,
                    7L);
        }

        JsonNode report = discover(api, host);
        assertThat(skipped(report, "region0"))
                .contains("decodes it over addresses that decoded for a removed region");
        assertThat(skipped(report, "region1")).isNull();
        assertThat(skipped(report, "region2")).isNull();
        assertThat(skipped(report, "region3")).contains("overlap region region2");
        assertThat(skipped(report, "region4")).contains("is in region region2");
        assertThat(skipped(report, "region5")).isNull();
        assertThat(names(api, host)).containsExactlyInAnyOrder("region1", "region2", "region5");
        JsonNode exposed = region(api, host, "region1");
        assertThat(exposed.get("state").asString()).isEqualTo("detached");
        assertThat(
                        jdbc.queryForObject(
                                "select exposed_seq from regions where id = ?",
                                Long.class,
                                UUID.fromString(exposed.get("id").asString())))
                .as("taken with its exposure: it commits only after an invalidation")
                .isEqualTo(7L);

        // A member an operation holds, or one quarantined, keeps a reported region out until it is
        // available again; then the next discovery takes it.
        String mem3 = device(api, "0x" + Long.toHexString(serials + 3));
        jdbc.update(
                "update devices set status = 'quarantined' where id = ?", UUID.fromString(mem3));
        Files.writeString(
                root.resolve("sys/bus/cxl/devices/region3/resource"),
                "0x" + Long.toHexString(base(3)));
        assertThat(skipped(discover(api, host), "region3"))
                .isEqualTo("member " + mem3 + " is quarantined");
        assertThat(names(api, host)).doesNotContain("region3");
        jdbc.update("update devices set status = 'available' where id = ?", UUID.fromString(mem3));
        assertThat(skipped(discover(api, host), "region3")).isNull();
        assertThat(region(api, host, "region3").get("state").asString()).isEqualTo("attached");
    }

    private static JsonNode discover(Api api, UUID host) {
        Api.Response report = api.post("/api/v1/hosts/" + host + "/discover", "");
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        return report.json();
    }

    private static String skipped(JsonNode report, String name) {
        for (JsonNode s : report.get("skippedRegions")) {
            if (s.get("name").asString().equals(name)) {
                return s.get("reason").asString();
            }
        }
        return null;
    }

    private static List<String> names(Api api, UUID host) {
        return api.get("/api/v1/regions?hostId=" + host)
                .json()
                .get("items")
                .valueStream()
                .map(r -> r.get("name").asString())
                .toList();
    }

    private static JsonNode region(Api api, UUID host, String name) {
        return api.get("/api/v1/regions?hostId=" + host)
                .json()
                .get("items")
                .valueStream()
                .filter(r -> r.get("name").asString().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static String device(Api api, String serial) {
        return api.get("/api/v1/devices?serial=" + serial)
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asString();
    }
}
