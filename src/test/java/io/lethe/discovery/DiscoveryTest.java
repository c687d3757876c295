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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Discovery records what the host reports, changes only what changed, and says what it left out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DiscoveryTest {

    static final String TOKEN = "agent-token-for-discovery-0123";

    @LocalServerPort int port;
    @TempDir Path root;
    EmulatedAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void recordsTheHostsInventoryUpdatesWhatChangedAndSkipsRegionsItCannotDrive() throws Exception {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.build(
                                root,
                                false,
                                Duration.ofMillis(300),
                                List.of(
                                        new Memdev(0, 0x40_0000, null, false),
                                                new Memdev(1, 0x40_0001, null, false),
                                        new Memdev(2, 0x40_0002, null, false),
                                                new Memdev(3, 0x40_0003, null, false)),
                                List.of(),
                                List.of(
                                        new Region(0, List.of(0, 1, 2), true),
                                        new Region(1, List.of(3), true))),
                        TOKEN);
        Api api = new Api(port);
        String host = TestInventory.agentHost(api, "discovery-" + port, agent.url(), TOKEN);

        Api.Response first = api.post("/api/v1/hosts/" + host + "/discover", "");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().at("/devices/created")).hasSize(4);
        assertThat(first.json().at("/regions/created")).hasSize(1);
        assertThat(first.json().at("/skippedRegions/0/name").asString()).isEqualTo("region0");
        assertThat(first.json().at("/skippedRegions/0/reason").asString()).contains("3-way");
        assertThat(first.json().path("cacheInvalidationChanged").asBoolean()).isTrue();
        assertThat(
                        api.get("/api/v1/audit?limit=1000")
                                .json()
                                .get("items")
                                .valueStream()
                                .filter(
                                        r ->
                                                r.get("action").asString().equals("host-discovered")
                                                        && host.equals(r.get("hostId").asString())))
                .as("the discovery's result is in the audit chain, with its actor")
                .singleElement()
                .satisfies(
                        r -> assertThat(r.get("detail").asString()).contains("devices 4 created"))
                .satisfies(r -> assertThat(r.get("actor").asString()).isEqualTo("bootstrap"));
        var device = api.get("/api/v1/devices?serial=0x400003").json().path("items").get(0);
        assertThat(device.path("firmwareVersion").asString()).isEqualTo("1.4.3");
        assertThat(device.path("capacityBytes").asLong()).isEqualTo(EmulatedKernel.MEDIA);
        String region =
                api.get("/api/v1/regions/" + first.json().at("/regions/created/0").asString())
                        .text("state");
        assertThat(region).isEqualTo("attached");

        Files.writeString(root.resolve("sys/bus/cxl/devices/mem3/firmware_version"), "2.0.0\n");
        Api.Response second = api.post("/api/v1/hosts/" + host + "/discover", "");
        assertThat(second.json().at("/devices/updated").toString())
                .contains(device.path("id").asString());
        assertThat(second.json().at("/devices/unchanged")).hasSize(3);
        assertThat(second.json().at("/devices/created")).isEmpty();
        assertThat(second.json().at("/regions/unchanged")).hasSize(1);
        assertThat(
                        api.get("/api/v1/devices/" + device.path("id").asString())
                                .text("firmwareVersion"))
                .isEqualTo("2.0.0");
    }

    @Test
    void simulatedHostsAreDeclaredNotDiscovered() {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "declared-" + port);
        Api.Response refused = api.post("/api/v1/hosts/" + host + "/discover", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("detail")).contains("declared through the API, not discovered");
        assertThat(api.post("/api/v1/hosts/not-a-host/discover", "").status()).isEqualTo(404);
        assertThat(api.withToken(null).post("/api/v1/hosts/" + host + "/discover", "").status())
                .isEqualTo(401);
    }
}
