package io.lethe.steps;

import io.lethe.backend.BackendException;
import io.lethe.backend.HostBackend.EraseRequest;
import io.lethe.backend.HostBackend.EraseStatus;
import io.lethe.device.DeviceService;
import io.lethe.engine.Operation;
import io.lethe.engine.PassphraseVault;
import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import io.lethe.engine.WorkflowProperties;
import io.lethe.region.HostLedger;
import io.lethe.security.SecretCipher;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Starts the erase and follows it to its end. The operation id is the erase's ticket, so after a
 * crash the step asks the device about this very erase before it starts anything.
 */
@Component
class EraseStep implements StepHandler {

    private final SecretCipher cipher;
    private final HostLedger regions;
    private final DeviceService devices;
    private final WorkflowProperties properties;
    private final Clock clock;

    private final PassphraseVault vault;

    EraseStep(
            SecretCipher cipher,
            HostLedger regions,
            DeviceService devices,
            WorkflowProperties properties,
            Clock clock,
            PassphraseVault vault) {
        this.vault = vault;
        this.clock = clock;
        this.cipher = cipher;
        this.regions = regions;
        this.devices = devices;
        this.properties = properties;
    }

    /** A wave's members on one host reach it in one exchange. */
    @Override
    public Grouping grouping() {
        return Grouping.HOST;
    }

    @Override
    public StepName step() {
        return StepName.ERASE;
    }

    /** From here until its end is recorded, the device's memory is in an unknown state. */
    @Override
    public void started(Operation op) {
        regions.recordMediaChanging(op.deviceId(), op.id());
    }

    @Override
    public StepResult run(StepContext c) {
        String ticket = c.operationId().toString();
        EraseStatus status = c.backend().eraseStatus(c.host(), c.device(), ticket);
        switch (status.state()) {
            case NOT_STARTED -> {
                String passphrase;
                try {
                    passphrase =
                            c.method().needsPassphrase()
                                    ? Passphrases.open(
                                            vault, cipher, c.operationId(), c.sealedPassphrase())
                                    : null;
                } catch (Passphrases.NotHere elsewhere) {
                    return Passphrases.handBack(
                            c,
                            elsewhere,
                            clock.instant(),
                            properties.passphraseHandoff(),
                            0,
                            records ->
                                    regions.recordMediaUntouched(c.device().id(), c.operationId()));
                } catch (Passphrases.Unavailable unavailable) {
                    return new StepResult.Fail(
                            unavailable.getMessage(),
                            records ->
                                    regions.recordMediaUntouched(c.device().id(), c.operationId()),
                            true);
                }
                try {
                    c.backend()
                            .startErase(
                                    c.host(),
                                    c.device(),
                                    new EraseRequest(c.method(), c.master(), passphrase, ticket));
                } catch (BackendException.KeyUnavailable noKey) {
                    return new StepResult.Fail(
                            noKey.getMessage(),
                            records ->
                                    regions.recordMediaUntouched(c.device().id(), c.operationId()),
                            true);
                }
                return new StepResult.Poll(
                        properties.erasePollInterval(), 0, c.method().wire() + " started");
            }
            case RUNNING -> {
                if (c.stepStartedAt() != null
                        && clock.instant()
                                .isAfter(c.stepStartedAt().plus(properties.eraseTimeout()))) {
                    return new StepResult.Fail(
                            "the erase did not complete within "
                                    + properties.eraseTimeout()
                                    + " (last "
                                    + status.percent()
                                    + "%); its outcome is unknown");
                }
                return new StepResult.Poll(
                        properties.erasePollInterval(), status.percent(), status.detail());
            }
            case COMPLETED -> {
                var reading = c.backend().readDevice(c.host(), c.device());
                return new StepResult.Done(
                        status.detail(),
                        records -> {
                            // Ordered by the host's sequence, not by the reported end time (another
                            // clock, or none).
                            long seq = regions.recordMediaChange(c.host().id(), c.device().id());
                            records.mediaChange(
                                    seq,
                                    status.finishedAt() != null
                                            ? status.finishedAt()
                                            : clock.instant());
                            devices.recordSecurity(
                                    c.device().id(),
                                    reading.securityState(),
                                    reading.unlockAttemptsLeft());
                        });
            }
            default -> {
                return new StepResult.Fail(
                        "the device reports the erase failed: " + status.detail());
            }
        }
    }
}
