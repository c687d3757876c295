package io.lethe.certificate;

import io.lethe.backend.Backends;
import io.lethe.backend.HostBackend;
import io.lethe.common.Ids;
import io.lethe.common.LetheProblem;
import io.lethe.device.DeviceKind;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.OperationEnded;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationType;
import io.lethe.engine.OperationView;
import io.lethe.engine.OperationView.StepView;
import io.lethe.engine.ReadBack;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.operation.OperationService;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Certificates of sanitization (NIST SP 800-88 r1, section 4.8) for succeeded secure erases and
 * decommissions: a JWS in compact serialization, {@code alg} EdDSA, signed once, in the transaction
 * that records the success, and served as stored from then on.
 */
@Service
class CertificateService {

    /** The {@code typ} of a certificate's JWS header. */
    static final String TYP = "lethe-sanitization+jws";

    static final JsonMapper JSON = Jws.JSON;
    private final OperationService operations;
    private final DeviceService devices;
    private final HostService hosts;
    private final SigningKeys keys;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String version;
    private final Backends backends;

    CertificateService(
            OperationService operations,
            DeviceService devices,
            HostService hosts,
            SigningKeys keys,
            JdbcTemplate jdbc,
            Clock clock,
            @Value("${lethe.version:dev}") String version,
            Backends backends) {
        this.backends = backends;
        this.operations = operations;
        this.devices = devices;
        this.hosts = hosts;
        this.keys = keys;
        this.jdbc = jdbc;
        this.clock = clock;
        this.version = version;
    }

    /** A signed certificate: the compact JWS, its key id and the payload it signs. */
    @Schema(hidden = true)
    record Certificate(String kid, String jws, JsonNode payload) {}

    /**
     * The certificate of a succeeded erase, as signed when it succeeded. A read: it never signs.
     *
     * @throws CertificateNotAvailable when the operation is not a succeeded erase
     * @throws CertificateNotIssued when it succeeded before certificates were signed at success
     */
    @Transactional(readOnly = true)
    Certificate certificate(String operationIdText) {
        UUID id =
                Ids.parse(operationIdText)
                        .orElseThrow(
                                () ->
                                        new CertificateNotAvailable(
                                                operationIdText, "no such operation"));
        OperationView op;
        try {
            op = operations.get(id);
        } catch (LetheProblem.NotFound e) {
            throw new CertificateNotAvailable(operationIdText, "no such operation");
        }
        if (!op.type().erases()) {
            throw new CertificateNotAvailable(
                    operationIdText,
                    "an operation of type " + op.type().wire() + " erases nothing");
        }
        if (op.state() != OperationState.SUCCEEDED) {
            throw new CertificateNotAvailable(
                    operationIdText,
                    "the operation is "
                            + op.state().wire()
                            + "; a certificate exists only for a succeeded erase");
        }
        List<Map<String, Object>> stored =
                jdbc.queryForList("select kid, jws from certificates where operation_id = ?", id);
        if (stored.isEmpty()) {
            throw new CertificateNotIssued(operationIdText);
        }
        return parse((String) stored.get(0).get("kid"), (String) stored.get(0).get("jws"));
    }

    /**
     * Signs the certificate of an erase that succeeded, in the transaction that records the
     * success, from the operation's own record: what a later edit of the host's or the device's row
     * says cannot reach it, and no fetch ever signs.
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(OperationEnded ended) {
        OperationView op = ended.operation();
        if (op.state() != OperationState.SUCCEEDED || !op.type().erases()) {
            return;
        }
        SigningKeys.ActiveKey key = keys.active();
        String jws = Jws.sign(key.kid(), key.privateKey(), TYP, payload(ended));
        jdbc.update(
                "insert into certificates (operation_id, kid, jws, issued_at) values (?, ?, ?, ?)",
                op.id(),
                key.kid(),
                jws,
                Timestamp.from(clock.instant()));
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

    private Map<String, Object> payload(OperationEnded ended) {
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

    private static Certificate parse(String kid, String jws) {
        String payload = jws.substring(jws.indexOf('.') + 1, jws.lastIndexOf('.'));
        return new Certificate(kid, jws, JSON.readTree(Base64.getUrlDecoder().decode(payload)));
    }

    /**
     * Code {@code certificate-not-issued}: the erase succeeded before this version, which signs at
     * success; signing now would sign rows that could have been edited since.
     */
    static final class CertificateNotIssued extends LetheProblem {
        CertificateNotIssued(String operationId) {
            super(
                    HttpStatus.CONFLICT,
                    "Certificate not issued",
                    "Operation '"
                            + operationId
                            + "' succeeded before Lethe signed certificates when an erase succeeds; none"
                            + " is signed later, from rows that could have been edited since. Its evidence"
                            + " is the audit trail: GET /api/v1/audit?operationId="
                            + operationId);
        }
    }

    /** The operation has no certificate: it is not a succeeded erase. */
    static final class CertificateNotAvailable extends LetheProblem {
        CertificateNotAvailable(String operationId, String why) {
            super(
                    HttpStatus.NOT_FOUND,
                    "Certificate not available",
                    "No certificate for operation '" + operationId + "': " + why);
        }
    }
}
