package io.lethe.engine;

import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.audit.AuditRef;
import io.lethe.backend.BackendException;
import io.lethe.backend.Backends;
import io.lethe.backend.HostBackend;
import io.lethe.device.DeviceStatus;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.region.RegionHoldEnded;
import io.lethe.security.Actors;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What follows when an operation ends, in the transaction that ends it: the status its device is
 * left in is decided (available, decommissioned, back to where it was, or quarantined once its
 * memory may have changed), the outcome is audited, and {@link OperationEnded} is published for
 * what must commit with the end: the device module releases the device, the region module lets go
 * of the region (detached unless nothing happened to it), a certificate is signed, the operation is
 * counted. The engine releases nothing itself: it publishes the end once.
 */
@Component
class Outcomes {

    static final String SYSTEM = Actors.SYSTEM;
    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private final HostService hosts;
    private final Backends backends;
    private final AuditLog audit;

    private final PassphraseVault vault;
    private final ApplicationEventPublisher events;

    Outcomes(
            HostService hosts,
            Backends backends,
            AuditLog audit,
            PassphraseVault vault,
            ApplicationEventPublisher events) {
        this.events = events;
        this.vault = vault;
        this.hosts = hosts;
        this.backends = backends;
        this.audit = audit;
    }

    /**
     * @param memoryUntouched the failing step changed nothing in the device (it refused outright)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void ended(Operation op, boolean memoryUntouched) {
        DeviceStatus next =
                switch (op.state()) {
                    case SUCCEEDED ->
                            op.type() == OperationType.DECOMMISSION
                                    ? DeviceStatus.DECOMMISSIONED
                                    : DeviceStatus.AVAILABLE;
                    case FAILED ->
                            op.pastPointOfNoReturn() && !memoryUntouched
                                    ? DeviceStatus.QUARANTINED
                                    : op.subject().statusBefore();
                    default -> op.subject().statusBefore();
                };
        ended(op, next);
    }

    /** Ends the operation leaving the device in the given status. */
    @Transactional(propagation = Propagation.MANDATORY)
    void ended(Operation op, DeviceStatus next) {
        UUID ending = op.id();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // once the end is committed no step will need the passphrase again
            TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            vault.forget(ending);
                        }
                    });
        }
        String left =
                op.type().holdsDevice()
                        ? "device " + next.wire()
                        : "region " + op.subject().regionId();
        AuditRef closing =
                audit.append(
                        new AuditEntry(
                                SYSTEM,
                                "ended",
                                op.id(),
                                op.deviceId(),
                                op.hostId(),
                                null,
                                op.state().wire(),
                                op.view().error() == null
                                        ? left
                                        : op.view().error() + "; " + left));
        // An attach-region operation holds no device: the device module's release finds another
        // holder or none.
        events.publishEvent(
                new OperationEnded(
                        op.view(),
                        op.requested().backendType(),
                        op.requested().simulated(),
                        closing,
                        next,
                        recommit(op)));
        log.info(
                "Operation {} ({}) ended {}; {}",
                op.id(),
                op.type().wire(),
                op.state().wire(),
                op.type().holdsDevice() ? "device " + op.deviceId() + " is " + next.wire() : left);
    }

    /**
     * A cancelled operation changed no member's memory: its region may decode again if it is
     * otherwise ready. Any other end leaves it detached (fail closed).
     */
    private RegionHoldEnded.Recommit recommit(Operation op) {
        if (op.subject().regionId() == null || op.state() != OperationState.CANCELLED) {
            return null;
        }
        try {
            HostView host = hosts.get(op.hostId());
            HostBackend backend = backends.forHost(host);
            return (region, fence) -> backend.commitUnlessSuperseded(host, region, fence);
        } catch (BackendException e) {
            log.warn(
                    "Region {} stays detached after cancelling operation {}: {}",
                    op.subject().regionId(),
                    op.id(),
                    e.getMessage());
            return null;
        }
    }
}
