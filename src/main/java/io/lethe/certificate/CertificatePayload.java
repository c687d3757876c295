package io.lethe.certificate;

import io.lethe.backend.Backends;
import io.lethe.backend.HostBackend;
import io.lethe.device.DeviceKind;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.OperationEnded;
import io.lethe.engine.OperationType;
import io.lethe.engine.OperationView;
import io.lethe.engine.OperationView.StepView;
import io.lethe.engine.ReadBack;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What a certificate of sanitization says, built from the ended operation's own record (its backend
 * and simulated flag as fixed at the request) and the device and host as they are in the
 * transaction that records the success.
 */
@Component
class CertificatePayload {

    private final DeviceService devices;
    private final HostService hosts;
    private final Backends backends;
    private final Clock clock;
    private final String version;

    CertificatePayload(
            DeviceService devices,
            HostService hosts,
            Backends backends,
            Clock clock,
            @Value("${lethe.version:dev}") String version) {
        this.devices = devices;
        this.hosts = hosts;
        this.backends = backends;
        this.clock = clock;
        this.version = version;
    }

    /**
     * Who invalidated the CPU caches: on a real host the kernel does it inside the region commit of
     * reattach-region (user space cannot), so the invalidate-cache step's time is when that was
     * checked.
     */
    private static String invalidatedBy(HostBackend backend) {
        if (backend.kernelInvalidatesInCommit()) {
            return "the host's kernel, inside the region commit of reattach-region (it refuses the commit where it cannot"
                    + " invalidate); startedAt is when the agent checked that it can";
        }
        return "the invalidate-cache step ("
                + (backend.simulated() ? "simulated " : "")
                + "wbinvd on all CPUs)";
    }

    /**
     * What verify could read on this host's backend: the evidence must not claim a read the backend
     * cannot do.
     */
    private static String verificationMethod(HostBackend backend, ReadBack readBack) {
        if (readBack == ReadBack.NONE_NO_CPU_VIEW) {
            return "the device's report that the erase completed; no read-back was possible: nothing maps the region's "
                    + "memory for the CPU (the host uses it as System RAM), so no canary was written or read";
        }
        if (!backend.mediaReadable()) {
            return "canary written through the CPU's view of the region before the erase and read back through it after "
                    + "(when the device is in a decoding region), and the device's report that the erase completed; "
                    + "the kernel offers no direct read of the media";
        }
        return "canary written through the CPU's view of the region before the erase and read back through it and from "
                + "the "
                + (backend.simulated() ? "simulated " : "")
                + "media after (when the device is in a decoding region),"
                + " and the device's report that the erase completed";
    }

    Map<String, Object> of(OperationEnded ended) {
        OperationView op = ended.operation();
        DeviceView device = devices.get(op.deviceId());
        HostView host = hosts.get(op.hostId());
        HostBackend backend = backends.ofType(ended.backend());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("iss", "lethe");
        p.put("sub", device.serial());
        p.put("jti", op.id().toString());
        p.put("iat", clock.instant().getEpochSecond());
        p.put("standard", "NIST SP 800-88 Rev. 1, section 4.8: Certificate of Sanitization");
        p.put(
                "media",
                ordered(
                        "manufacturer",
                        device.manufacturer(),
                        "model",
                        device.model(),
                        "serialNumber",
                        device.serial(),
                        "type",
                        device.kind() == DeviceKind.CXL_MEMDEV ? "CXL memory device" : "NVDIMM",
                        "capacityBytes",
                        device.capacityBytes(),
                        "firmwareVersion",
                        device.firmwareVersion()));
        p.put(
                "mediaSource",
                ordered(
                        "hostId",
                        host.id().toString(),
                        "hostName",
                        host.name(),
                        "labels",
                        host.labels()));
        p.put(
                "sanitization",
                ordered(
                        "category",
                        "Purge",
                        "method",
                        op.method().wire(),
                        "description",
                        op.method().description(),
                        "tool",
                        ordered(
                                "name",
                                "Lethe",
                                "version",
                                version,
                                "backend",
                                ended.backend().wire())));
        p.put(
                "verification",
                ordered(
                        "method",
                        verificationMethod(backend, op.readBack()),
                        "result",
                        "passed",
                        "detail",
                        step(op, "verify").detail()));
        p.put("destination", op.type() == OperationType.DECOMMISSION ? "decommissioned" : "reuse");
        p.put("requestedBy", op.requestedBy());
        p.put("requestedAt", op.createdAt().toString());
        p.put("completedAt", op.finishedAt().toString());
        p.put(
                "cacheInvalidation",
                ordered(
                        "startedAt",
                        op.invalidationStartedAt().toString(),
                        "backend",
                        ended.backend().wire(),
                        "performedBy",
                        invalidatedBy(backend),
                        "evidence",
                        step(op, "invalidate-cache").detail()));
        // The closing record has no place in the chain yet (it is sealed moments later): it is
        // named by its id and the hash of its content; signed checkpoints fix the chain's order.
        p.put(
                "audit",
                ordered(
                        "recordId",
                        ended.closingRecord().recordId().toString(),
                        "contentHash",
                        ended.closingRecord().contentHash()));
        p.put("operationId", op.id().toString());
        // Inside the signed payload, so it cannot be stripped: no memory was erased on a simulated
        // host.
        p.put("simulated", ended.simulated());
        return p;
    }

    private static StepView step(OperationView op, String name) {
        return op.steps().stream()
                .filter(s -> s.name().wire().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
