package io.lethe.discovery;

import io.lethe.audit.AuditLog;
import io.lethe.backend.BackendException;
import io.lethe.backend.Backends;
import io.lethe.backend.HostBackend;
import io.lethe.common.LetheProblem;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.security.Actors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resets a device's estimated count of wrong passphrases after a power cycle. A host agent counts
 * every ENXIO a CXL device answers a passphrase command with as a wrong passphrase, though the
 * kernel answers seven other mailbox errors alike: its count can only err on the safe side, and a
 * cold reset gives the device its attempts back. The agent is called outside any transaction; the
 * device's new reading and the audit record (with the admin who asserted the power cycle) commit
 * together.
 */
@Service
class AttemptEstimates {

    private final DeviceService devices;
    private final HostService hosts;
    private final Backends backends;
    private final AuditLog audit;
    private final TransactionTemplate transaction;

    AttemptEstimates(
            DeviceService devices,
            HostService hosts,
            Backends backends,
            AuditLog audit,
            TransactionTemplate transaction) {
        this.devices = devices;
        this.hosts = hosts;
        this.backends = backends;
        this.audit = audit;
        this.transaction = transaction;
    }

    DeviceView reset(String deviceId) {
        DeviceView device = devices.get(deviceId);
        HostView host = hosts.get(device.hostId());
        HostBackend backend = backends.forHost(host);
        HostBackend.DeviceReading reading;
        try {
            backend.resetAttemptEstimate(host, device);
            reading = backend.readDevice(host, device);
        } catch (BackendException e) {
            throw new AttemptEstimateNotReset(
                    e.retryable() ? HttpStatus.BAD_GATEWAY : HttpStatus.CONFLICT,
                    "the count of device " + device.serial() + " was not reset: " + e.getMessage());
        }
        String actor = Actors.current();
        transaction.executeWithoutResult(
                status -> {
                    devices.recordSecurity(
                            device.id(), reading.securityState(), reading.unlockAttemptsLeft());
                    audit.recordAdmin(
                            actor,
                            "unlock-attempt-estimate-reset",
                            host.id(),
                            device.id(),
                            "the estimated count of wrong passphrases of "
                                    + device.serial()
                                    + " was reset after a power cycle; the host reports "
                                    + reading.unlockAttemptsLeft()
                                    + " attempt(s) left");
                });
        return devices.get(device.id());
    }

    /**
     * Code {@code attempt-estimate-not-reset}: the backend keeps no estimate, or did not answer.
     */
    static final class AttemptEstimateNotReset extends LetheProblem {
        AttemptEstimateNotReset(HttpStatus status, String detail) {
            super(status, "Attempt estimate not reset", detail);
        }
    }
}
