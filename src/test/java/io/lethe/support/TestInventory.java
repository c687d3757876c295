package io.lethe.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Inventory that tests declare through the API again and again: a simulated host, a CXL memory
 * device on it, a region over devices. Anything less common a test writes out itself.
 */
public final class TestInventory {

    /** Capacity of a test device: 1 MiB. */
    public static final long DEVICE_BYTES = 1 << 20;

    private TestInventory() {}

    /** A simulated x86 host with no latencies or faults; answers its id. */
    public static String simulatedHost(Api api, String name) {
        return api.post(
                        "/api/v1/hosts",
                        Api.json(Map.of("name", name, "backend", Map.of("type", "simulated-x86"))))
                .id();
    }

    /** A host driven by the agent at {@code url} with {@code token}; answers its id. */
    public static String agentHost(Api api, String name, String url, String token) {
        return api.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        name,
                                        "backend",
                                        Map.of("type", "host-agent", "url", url, "token", token))))
                .id();
    }

    /** The id of the host's device with this serial (as discovery found it). */
    public static String deviceBySerial(Api api, String host, String serial) {
        for (JsonNode d :
                api.get("/api/v1/devices?limit=1000&hostId=" + host).json().path("items")) {
            if (d.path("serial").asString().equals(serial)) {
                return d.path("id").asString();
            }
        }
        throw new AssertionError("no device " + serial);
    }

    /** A CXL memory device of {@link #DEVICE_BYTES} on the host; answers its id. */
    public static String device(Api api, UUID host, String serial) {
        return device(api, host.toString(), serial);
    }

    /** A CXL memory device of {@link #DEVICE_BYTES} on the host; answers its id. */
    public static String device(Api api, String host, String serial) {
        return api.post(
                        "/api/v1/hosts/" + host + "/devices",
                        Api.json(
                                Map.of(
                                        "serial",
                                        serial,
                                        "kind",
                                        "cxl-memdev",
                                        "capacityBytes",
                                        DEVICE_BYTES)))
                .id();
    }

    /**
     * Declares region {@code region0} of the host (its id, as text or UUID) over these devices,
     * {@code sizeBytes} in all; answers the response (its {@code id()} when declared).
     */
    public static Api.Response region(
            Api api, Object host, List<String> deviceIds, long sizeBytes) {
        return api.post(
                "/api/v1/hosts/" + host + "/regions",
                Api.json(
                        Map.of("name", "region0", "deviceIds", deviceIds, "sizeBytes", sizeBytes)));
    }

    /**
     * Declares region {@code region0} as {@link #region} does, then waits (the scheduler polling)
     * for the attach-region operation the declaration started, and answers the region's id. For
     * tests whose scheduler runs by itself; a test that drives steps runs them instead.
     */
    public static String attachedRegion(
            Api api, Object host, List<String> deviceIds, long sizeBytes) {
        Api.Response declared = region(api, host, deviceIds, sizeBytes);
        if (declared.status() != 201) {
            throw new AssertionError("region not declared: " + declared);
        }
        JsonNode attach = declared.json().get("attachOperationId");
        if (!attach.isNull()) {
            JsonNode ended = api.awaitEnd(attach.asString(), Duration.ofSeconds(60));
            if (!"succeeded".equals(ended.path("state").asString(""))) {
                throw new AssertionError("the region's attach did not succeed: " + ended);
            }
        }
        return declared.id();
    }
}
