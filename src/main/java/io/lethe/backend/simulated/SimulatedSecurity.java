package io.lethe.backend.simulated;

import io.lethe.backend.BackendException;
import io.lethe.backend.EraseMethod;
import io.lethe.backend.HostBackend.EraseStatus;
import io.lethe.backend.simulated.SimulatedMachine.EraseJob;
import io.lethe.backend.simulated.SimulatedMachine.SimDevice;
import io.lethe.backend.simulated.SimulatedMachine.SimRegion;
import io.lethe.device.SecurityState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The simulated devices' security and erases, as the kernel drivers refuse them (a busy region, a
 * passphrase set or missing, a locked or frozen device) and as the devices count wrong passphrases:
 * an erase runs for its latency and then changes the media (zeros for sanitize and overwrite,
 * random bytes for the others).
 *
 * <p>A passphrase erase with the master passphrase follows the kernel and its NVDIMM test firmware:
 * refused unless the device's master passphrase is enabled ({@code security_erase()} in {@code
 * drivers/nvdimm/security.c}, "wrong master state", EOPNOTSUPP); a wrong one is refused without
 * counting an attempt, and a right one clears the user passphrase and keeps the master passphrase
 * ({@code nd_intel_test_cmd_master_secure_erase()} in {@code tools/testing/nvdimm/test/nfit.c}). It
 * asks nothing of the user passphrase, so a device without one is erased too. Read in Debian's
 * 6.12.118 sources ({@code linux-source-6.12} 6.12.118-1~deb12u1) and run on KernelIT's nfit_test
 * guest (wrong, right, and again without a user passphrase).
 */
final class SimulatedSecurity {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SimulatedSecurity() {}

    static void unlock(SimulatedMachine machine, UUID deviceId, String passphrase) {
        SimDevice device = machine.device(deviceId);
        refuseIfFrozen(device);
        if (device.security != SecurityState.LOCKED) {
            throw new BackendException.Refused(
                    "device is " + device.security.wire() + ", not locked");
        }
        if (!matches(device, passphrase)) {
            countFailedAttempt(device);
        }
        device.security = SecurityState.UNLOCKED;
        device.attemptsLeft = SimulatedMachine.UNLOCK_ATTEMPTS;
    }

    static void startErase(
            SimulatedMachine machine,
            UUID deviceId,
            EraseMethod method,
            boolean master,
            String passphrase,
            String ticket,
            Instant now,
            Duration latency) {
        SimDevice device = machine.device(deviceId);
        settle(machine, now);
        if (device.erase != null && ticket.equals(device.erase.ticket)) {
            return;
        }
        if (device.erase != null && !device.erase.done) {
            throw new BackendException.Refused("EBUSY: another erase is in progress");
        }
        refuseIfFrozen(device);
        if (master && method != EraseMethod.PASSPHRASE_ERASE) {
            throw new BackendException.Refused(
                    "EINVAL: only a passphrase erase takes the master passphrase");
        }
        for (SimRegion region : machine.regions.values()) {
            if (region.decoded && region.members.contains(deviceId.toString())) {
                throw new BackendException.Refused(
                        "EBUSY: the device's region decoders are committed");
            }
        }
        SecurityState after = device.security;
        switch (method) {
            case SANITIZE -> {
                if (device.security != SecurityState.DISABLED) {
                    throw new BackendException.Refused(
                            "EPERM: sanitize is refused while a passphrase is set");
                }
            }
            case SECURE_ERASE -> {
                if (device.passphraseHash != null) {
                    throw new BackendException.Refused(
                            "EINVAL: secure erase is refused while a passphrase is set");
                }
            }
            case OVERWRITE -> {
                if (device.security == SecurityState.LOCKED) {
                    throw new BackendException.Refused("EPERM: the device is locked");
                }
                // With a passphrase set the DIMM compares the one given (the zero key when none):
                // tools/testing/nvdimm/test/nfit.c nd_intel_test_cmd_overwrite(), INVALID_PASS,
                // the kernel's EINVAL (Debian 6.12.118). None given reaches the device as the
                // zero key, which this model does not count; a wrong one counts.
                if (device.passphraseHash != null) {
                    if (passphrase == null) {
                        throw new BackendException.Refused(
                                "EINVAL: the device has a passphrase set and the overwrite gave none");
                    }
                    if (!matches(device, passphrase)) {
                        countFailedAttempt(device);
                    }
                }
            }
            case PASSPHRASE_ERASE -> {
                if (master) {
                    checkMaster(device, passphrase);
                    after = SecurityState.DISABLED;
                    break;
                }
                if (device.passphraseHash == null) {
                    throw new BackendException.Refused("EPERM: no passphrase is set");
                }
                if (!matches(device, passphrase)) {
                    countFailedAttempt(device);
                }
                after = SecurityState.DISABLED;
            }
            default -> throw new IllegalStateException();
        }
        EraseJob job = new EraseJob();
        job.ticket = ticket;
        job.method = method;
        job.startedAt = now;
        job.completesAt = now.plus(latency);
        job.securityAfter = after;
        device.erase = job;
        if (method == EraseMethod.SANITIZE || method == EraseMethod.OVERWRITE) {
            device.security = SecurityState.SANITIZING;
        }
        settle(machine, now);
    }

    static EraseStatus eraseStatus(
            SimulatedMachine machine, UUID deviceId, String ticket, Instant now) {
        settle(machine, now);
        EraseJob job = machine.device(deviceId).erase;
        if (job == null || !ticket.equals(job.ticket)) {
            return EraseStatus.notStarted();
        }
        if (job.done) {
            return new EraseStatus(
                    EraseStatus.State.COMPLETED,
                    100,
                    job.completesAt,
                    job.method.wire() + " completed");
        }
        long total = Math.max(1, Duration.between(job.startedAt, job.completesAt).toMillis());
        int percent =
                (int) Math.min(99, Duration.between(job.startedAt, now).toMillis() * 100 / total);
        return new EraseStatus(
                EraseStatus.State.RUNNING, percent, null, job.method.wire() + " in progress");
    }

    /** Completes every erase whose time has come. */
    static void settle(SimulatedMachine machine, Instant now) {
        for (SimDevice device : machine.devices.values()) {
            EraseJob job = device.erase;
            if (job != null && !job.done && !now.isBefore(job.completesAt)) {
                if (job.method == EraseMethod.SANITIZE || job.method == EraseMethod.OVERWRITE) {
                    Arrays.fill(device.media, (byte) 0);
                } else {
                    RANDOM.nextBytes(device.media);
                }
                device.security = job.securityAfter;
                if (job.securityAfter == SecurityState.DISABLED) {
                    device.passphraseHash = null;
                    device.passphraseSalt = null;
                    device.attemptsLeft = SimulatedMachine.UNLOCK_ATTEMPTS;
                }
                job.done = true;
            }
        }
    }

    private static void checkMaster(SimDevice device, String passphrase) {
        if (device.masterHash == null) {
            throw new BackendException.Refused(
                    "EOPNOTSUPP: the device's master passphrase is not enabled");
        }
        if (!verifies(device.masterSalt, device.masterHash, passphrase)) {
            // the test firmware answers INVALID_PASS and counts nothing for the master passphrase
            throw new BackendException.WrongPassphrase(device.attemptsLeft);
        }
    }

    private static void countFailedAttempt(SimDevice device) {
        device.attemptsLeft = Math.max(0, device.attemptsLeft - 1);
        if (device.attemptsLeft == 0) {
            device.security = SecurityState.PASSPHRASE_LIMIT;
        }
        throw new BackendException.WrongPassphrase(device.attemptsLeft);
    }

    private static void refuseIfFrozen(SimDevice device) {
        if (device.security == SecurityState.FROZEN
                || device.security == SecurityState.PASSPHRASE_LIMIT) {
            throw new BackendException.Refused(
                    "EPERM: security commands are refused while the device is "
                            + device.security.wire());
        }
    }

    /** Whether the passphrase is the device's (compared in constant time over salted hashes). */
    static boolean matches(SimDevice device, String passphrase) {
        return verifies(device.passphraseSalt, device.passphraseHash, passphrase);
    }

    private static boolean verifies(String salt, String hash, String passphrase) {
        return hash != null
                && passphrase != null
                && MessageDigest.isEqual(
                        hash(salt, passphrase).getBytes(StandardCharsets.US_ASCII),
                        hash.getBytes(StandardCharsets.US_ASCII));
    }

    /** Sets the device's passphrase; only its salted hash is kept. */
    static void setPassphrase(SimDevice device, String passphrase) {
        device.passphraseSalt = newSalt();
        device.passphraseHash = hash(device.passphraseSalt, passphrase);
    }

    /** Enables the device's master passphrase; only its salted hash is kept. */
    static void setMasterPassphrase(SimDevice device, String passphrase) {
        device.masterSalt = newSalt();
        device.masterHash = hash(device.masterSalt, passphrase);
    }

    private static String newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return Base64.getEncoder().encodeToString(salt);
    }

    private static String hash(String salt, String passphrase) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Base64.getDecoder().decode(salt));
            return Base64.getEncoder()
                    .encodeToString(sha.digest(passphrase.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
