package io.lethe.engine;

import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.audit.AuditRef;
import io.lethe.backend.BackendException;
import io.lethe.backend.Backends;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceStatus;
import io.lethe.host.HostService;
import io.lethe.region.RegionCommits;
import io.lethe.region.RegionNotReady;
import io.lethe.region.RegionService;
import io.lethe.security.Actors;
import java.util.List;
import java.util.Set;
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
 * What follows when an operation ends, in the transaction that ends it: the device is released
 * (available, decommissioned, back to where it was, or quarantined once its memory may have
 * changed), a held region stays detached unless nothing happened to it, the outcome is audited, and
 * {@link OperationEnded} is published for what must commit with the end (a certificate, the
 * operation counters). The device and the region are released here, not by listeners: they are
 * modules the engine is built on, and a listener of theirs would make them depend on the engine.
 */
@Component
class Outcomes {

    static final String SYSTEM = Actors.SYSTEM;
    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private final DeviceService devices;
    private final RegionService regions;
    private final RegionCommits commits;
    private final HostService hosts;
    private final Backends backends;
    private final AuditLog audit;

    private final PassphraseVault vault;
    private final ApplicationEventPublisher events;

    Outcomes(
            DeviceService devices,
            RegionService regions,
            RegionCommits commits,
            HostService hosts,
            Backends backends,
            AuditLog audit,
            PassphraseVault vault,
            ApplicationEventPublisher events) {
        this.events = events;
        this.vault = vault;
        this.devices = devices;
        this.regions = regions;
        this.commits = commits;
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
        // An attach-region operation holds no device: the release finds another holder or none.
        devices.release(op.deviceId(), op.id(), next);
        String left =
                op.type().holdsDevice()
                        ? "device " + next.wire()
                        : "region " + op.subject().regionId();
        if (op.subject().regionId() != null) {
            if (op.state() == OperationState.CANCELLED) {
                recommitAfterCancel(op);
            } else {
                commits.releaseDetached(op.subject().regionId(), op.id());
            }
        }
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
        events.publishEvent(
                new OperationEnded(
                        op.view(),
                        op.requested().backendType(),
                        op.requested().simulated(),
                        closing));
        log.info(
                "Operation {} ({}) ended {}; {}",
                op.id(),
                op.type().wire(),
                op.state().wire(),
                op.type().holdsDevice() ? "device " + op.deviceId() + " is " + next.wire() : left);
    }

    /**
     * Nothing changed this device's memory: the region may decode again if it is otherwise ready.
     */
    private void recommitAfterCancel(Operation op) {
        try {
            var host = hosts.get(op.hostId());
            var region = regions.get(op.subject().regionId());
            var backend = backends.forHost(host);
            // The one commit path, with every check a reattach has: a cancel never commits over
            // another member's change.
            var outcome =
                    commits.releaseAndCommitAll(
                            op.subject().regionId(),
                            List.of(op.id()),
                            Set.of(),
                            fence -> backend.commitUnlessSuperseded(host, region, fence));
            if (!outcome.committed()) {
                log.info(
                        "Region {} stays detached after cancelling operation {}: {}",
                        op.subject().regionId(),
                        op.id(),
                        outcome.reason());
            }
        } catch (RegionNotReady | BackendException e) {
            log.warn(
                    "Region {} stays detached after cancelling operation {}: {}",
                    op.subject().regionId(),
                    op.id(),
                    e.getMessage());
            commits.releaseDetached(op.subject().regionId(), op.id());
        }
    }
}
