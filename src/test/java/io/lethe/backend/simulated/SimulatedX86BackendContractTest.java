package io.lethe.backend.simulated;

import io.lethe.backend.Backends;
import io.lethe.backend.HostBackendContract;
import io.lethe.device.DeviceService;
import io.lethe.host.HostService;
import io.lethe.region.RegionService;
import io.lethe.support.Api;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The simulated x86 backend against the backend contract, with its state in the database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SimulatedX86BackendContractTest extends HostBackendContract {

    @LocalServerPort int port;
    @Autowired Backends backends;
    @Autowired HostService hosts;
    @Autowired RegionService regions;
    @Autowired DeviceService devices;

    @Override
    protected Fixture fixture(boolean virtualized) {
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "contract-" + UUID.randomUUID(),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "virtualized",
                                                        virtualized,
                                                        "latencies",
                                                        Map.of("erase", "PT0.2S")))))
                        .id();
        String first = device(api, host, "disabled", null);
        String second = device(api, host, "disabled", null);
        String locked = device(api, host, "locked", PASSPHRASE);
        var declared =
                api.post(
                        "/api/v1/hosts/" + host + "/regions",
                        Api.json(
                                Map.of(
                                        "name",
                                        "r0",
                                        "deviceIds",
                                        List.of(first, second),
                                        "sizeBytes",
                                        1024)));
        String region = declared.id();
        // The contract's region decodes: its attach-region operation commits it.
        var attach =
                api.awaitEnd(
                        declared.json().get("attachOperationId").asString(),
                        java.time.Duration.ofSeconds(30));
        if (!"succeeded".equals(attach.get("state").asString())) {
            throw new AssertionError("the fixture's region was not attached: " + attach);
        }
        var view = hosts.get(UUID.fromString(host));
        return new Fixture(
                backends.forHost(view),
                view,
                regions.get(UUID.fromString(region)),
                devices.get(first),
                devices.get(second),
                devices.get(locked));
    }

    private static String device(Api api, String host, String state, String passphrase) {
        Map<String, Object> body =
                new HashMap<>(
                        Map.of(
                                "serial",
                                "C-" + UUID.randomUUID(),
                                "kind",
                                "cxl-memdev",
                                "capacityBytes",
                                1 << 20,
                                "securityState",
                                state));
        if (passphrase != null) {
            body.put("passphrase", passphrase);
        }
        return api.post("/api/v1/hosts/" + host + "/devices", Api.json(body)).id();
    }
}
