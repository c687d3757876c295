package io.lethe.steps;

import io.lethe.backend.BackendException;
import io.lethe.backend.UnlockKey;
import io.lethe.device.DeviceService;
import io.lethe.device.SecurityState;
import io.lethe.engine.Operation;
import io.lethe.engine.PassphraseVault;
import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import io.lethe.engine.WorkflowProperties;
import io.lethe.region.HostLedger;
import io.lethe.security.SecretCipher;
import java.time.Clock;
import org.springframework.stereotype.Component;

/** Unlocks the device; a wrong passphrase fails the operation and leaves the attempt counted. */
@Component
class UnlockStep implements StepHandler {

    private final SecretCipher cipher;
    private final DeviceService devices;
    private final HostLedger regions;
    private final Clock clock;

    private final PassphraseVault vault;
    private final WorkflowProperties properties;

    UnlockStep(
            SecretCipher cipher,
            DeviceService devices,
            HostLedger regions,
            Clock clock,
            PassphraseVault vault,
            WorkflowProperties properties) {
        this.vault = vault;
        this.properties = properties;
        this.cipher = cipher;
        this.devices = devices;
        this.regions = regions;
        this.clock = clock;
    }

    /** A wave's members on one host reach it in one exchange. */
    @Override
    public Grouping grouping() {
        return Grouping.HOST;
    }

    @Override
    public StepName step() {
        return StepName.UNLOCK;
    }

    /** From here until its end is recorded, the device's memory is in an unknown state. */
    @Override
    public void started(Operation op) {
        regions.recordMediaChanging(op.deviceId(), op.id());
    }

    @Override
    public StepResult run(StepContext c) {
        var before = c.backend().readDevice(c.host(), c.device());
        if (before.securityState() != SecurityState.UNLOCKED) {
            String passphrase = null;
            boolean hostKey = c.unlockKey() == UnlockKey.HOST_KEY;
            try {
                if (!hostKey) {
                    passphrase =
                            Passphrases.open(vault, cipher, c.operationId(), c.sealedPassphrase());
                }
            } catch (Passphrases.NotHere elsewhere) {
                return Passphrases.handBack(
                        c,
                        elsewhere,
                        clock.instant(),
                        properties.passphraseHandoff(),
                        null,
                        records -> regions.recordMediaUntouched(c.device().id(), c.operationId()));
            } catch (Passphrases.Unavailable unavailable) {
                return new StepResult.Fail(
                        unavailable.getMessage(),
                        records -> regions.recordMediaUntouched(c.device().id(), c.operationId()),
                        true);
            }
            try {
                if (hostKey) {
                    c.backend().unlockWithHostKey(c.host(), c.device());
                } else {
                    c.backend().unlock(c.host(), c.device(), passphrase);
                }
            } catch (BackendException.KeyUnavailable noKey) {
                return new StepResult.Fail(
                        noKey.getMessage(),
                        records -> regions.recordMediaUntouched(c.device().id(), c.operationId()),
                        true);
            } catch (BackendException.WrongPassphrase wrong) {
                SecurityState now =
                        wrong.attemptsLeft() == 0
                                ? SecurityState.PASSPHRASE_LIMIT
                                : SecurityState.LOCKED;
                // A wrong passphrase is refused before the device decrypts anything: its memory is
                // as it was.
                return new StepResult.Fail(
                        wrong.getMessage(),
                        records -> {
                            devices.recordSecurity(c.device().id(), now, wrong.attemptsLeft());
                            regions.recordMediaUntouched(c.device().id(), c.operationId());
                        },
                        true);
            }
        }
        var after = c.backend().readDevice(c.host(), c.device());
        var unlockedAt = clock.instant();
        return new StepResult.Done(
                "device unlocked",
                records -> {
                    devices.recordSecurity(
                            c.device().id(), after.securityState(), after.unlockAttemptsLeft());
                    // Unlocking changes what the memory reads behind the CPU's back, like an erase.
                    long seq = regions.recordMediaChange(c.host().id(), c.device().id());
                    records.mediaChange(seq, unlockedAt);
                });
    }
}
