package io.lethe.backend.hostagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.agent.EmulatedAgent;
import io.lethe.agent.EmulatedKernel;
import io.lethe.backend.Backends;
import io.lethe.backend.HostBackendContract;
import io.lethe.device.DeviceService;
import io.lethe.host.HostService;
import io.lethe.region.RegionService;
import io.lethe.support.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The host-agent backend against the same contract as the simulation: the orchestrator here, an
 * agent on an emulated kernel on loopback, devices and regions found by discovery.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostAgentBackendContractTest extends HostBackendContract {

    static final String TOKEN = "agent-token-for-the-contract-0123";

    @LocalServerPort int port;
    @Autowired Backends backends;
    @Autowired HostService hosts;
    @Autowired RegionService regions;
    @Autowired DeviceService devices;

    private static final AtomicLong SERIALS = new AtomicLong(0x10_0000);
    private final List<EmulatedAgent> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(EmulatedAgent::close);
        agents.clear();
    }

    @Override
    protected Fixture fixture(boolean virtualized) {
        Path root;
        try {
            root = Files.createTempDirectory("lethe-contract-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long base = SERIALS.addAndGet(0x1000);
        EmulatedAgent agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                root, PASSPHRASE, virtualized, Duration.ofMillis(300), base),
                        TOKEN);
        agents.add(agent);
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "agent-contract-" + UUID.randomUUID(),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "host-agent",
                                                        "url",
                                                        agent.url(),
                                                        "token",
                                                        TOKEN))))
                        .id();
        Api.Response discovered = api.post("/api/v1/hosts/" + host + "/discover", "");
        assertThat(discovered.status()).as(discovered.toString()).isEqualTo(200);
        var view = hosts.get(UUID.fromString(host));
        UUID first = device(api, base);
        UUID regionId = regions.findByDevice(first).orElseThrow().id();
        return new Fixture(
                backends.forHost(view),
                view,
                regions.get(regionId),
                devices.get(first),
                devices.get(device(api, base + 1)),
                devices.get(device(api, base + 2)));
    }

    private static UUID device(Api api, long serial) {
        return UUID.fromString(
                api.get("/api/v1/devices?serial=0x" + Long.toHexString(serial))
                        .json()
                        .path("items")
                        .get(0)
                        .path("id")
                        .asString());
    }
}
