package io.lethe.agent;

import io.lethe.agent.AgentDevices.Dev;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Passphrase commands: unlock and passphrase erase. The passphrase travels to the kernel only as a
 * keyring key that lives for one command. Wrong passphrases are counted per device, and the last
 * attempts are refused before they reach the device once none is left.
 */
@Component
class AgentSecurity {

    private static final Logger log = LoggerFactory.getLogger(AgentSecurity.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentDevices devices;
    private final NdBus nd;
    private final Keyring keyring;
    private final AgentState state;
    private final HostKeys hostKeys;

    AgentSecurity(
            AgentDevices devices, NdBus nd, Keyring keyring, AgentState state, HostKeys hostKeys) {
        this.hostKeys = hostKeys;
        this.devices = devices;
        this.nd = nd;
        this.keyring = keyring;
        this.state = state;
    }

    synchronized void unlock(String serial, String passphrase) {
        unlock(serial, new AgentWire.UnlockRequest(passphrase));
    }

    /**
     * Unlocks with the passphrase given, or with the host's own sealed key ({@link HostKeys}) where
     * the request asks for it; either is loaded under the names the kernel looks the key up by.
     */
    synchronized void unlock(String serial, AgentWire.UnlockRequest request) {
        String passphrase = request.passphrase();
        if (request.hostKey()) {
            if (passphrase != null) {
                throw AgentProblem.badRequest("an unlock with the host's key takes no passphrase");
            }
        } else {
            checkPassphrase(passphrase);
        }
        Dev dev = devices.require(serial);
        String current = devices.securityState(dev);
        switch (current) {
            case "unlocked" -> {
                return;
            }
            case "locked" -> {}
            case "disabled" ->
                    throw AgentProblem.refused(
                            serial + " has no passphrase set: there is nothing to unlock", null);
            default ->
                    throw AgentProblem.refused(
                            serial + " is " + current + ": the kernel refuses security commands",
                            null);
        }
        String nmem = securityDevice(dev);
        if (!nd.probeUnlocks(nmem)) {
            throw AgentProblem.unsupported(
                    serial
                            + " has no label area, and the kernel tries an unlock only when it probes"
                            + " a DIMM with one (drivers/nvdimm/dimm.c nvdimm_probe()): a rebind would"
                            + " send no key. Nothing reached the device and no attempt is counted");
        }
        checkAttempts(dev);
        List<String> names = nd.keyDescriptions(nmem);
        String blob = request.hostKey() ? hostKeys.blobFor(serial, names) : null;
        for (String name : names) {
            if (keyring.holds(name)) {
                throw AgentProblem.keyUnavailable(
                        "a key "
                                + name
                                + " that this agent did not add is in the keyring (ndctl's, or"
                                + " another DIMM's whose serial reads alike): the kernel would unlock "
                                + serial
                                + " with it rather than with the passphrase given, and a wrong one"
                                + " costs an attempt. Nothing reached the device; remove that key"
                                + " (keyctl search @u encrypted "
                                + name
                                + ", keyctl unlink) or unlock with ndctl");
            }
        }
        List<Long> keys = new ArrayList<>();
        try {
            for (String name : names) {
                keys.add(blob != null ? keyring.load(name, blob) : keyring.add(name, passphrase));
            }
            nd.reprobe(nmem);
        } catch (SysfsError e) {
            // A failed unlock fails the probe, and bind answers the probe's errno (EACCES): the
            // DIMM's own state says whether the attempt reached it, not the errno.
            if ("unlocked".equals(devices.rawState(dev))) {
                throw AgentProblem.of(e, "unlock of " + serial);
            }
        } finally {
            keys.forEach(keyring::remove);
        }
        boolean unlocked = "unlocked".equals(devices.rawState(dev));
        state.recordPassphrase(serial, unlocked);
        log.info(
                "Unlock of {} ({}) with {} {}",
                dev.name(),
                serial,
                blob != null ? "the host's sealed key" : "the passphrase given",
                unlocked ? "succeeded" : "refused by the device");
        if (!unlocked) {
            // The unlock's own errno never reaches user space (nvdimm_probe() only logs it, and
            // bind answers the failed probe's): the state says it.
            throw AgentProblem.wrongPassphrase(devices.attemptsLeft(dev), null);
        }
    }

    /**
     * {@code erase <keyid>} (or {@code master_erase}); a refusal of the key counts as a wrong
     * passphrase.
     */
    void passphraseErase(Dev dev, String passphrase, boolean master) {
        checkPassphrase(passphrase);
        String nmem = securityDevice(dev);
        checkAttempts(dev);
        keyCommand(dev, nmem, passphrase, master ? "master_erase" : "erase", "passphrase erase");
    }

    /**
     * {@code overwrite <keyid>}: key 0 when the DIMM has no passphrase. With a passphrase it is a
     * passphrase command as an erase is: checked against the attempts left, counted when wrong.
     */
    void overwrite(Dev dev, String passphrase) {
        requireSecurity(dev);
        if (passphrase != null) {
            checkPassphrase(passphrase);
            checkAttempts(dev);
        }
        keyCommand(dev, dev.nmem(), passphrase, "overwrite", "overwrite");
    }

    /**
     * Writes {@code <verb> <keyid>} with the passphrase loaded as a key for this one command (key 0
     * without one), and says what its errno means: a wrong passphrase that reached the device
     * (counted), no usable key (ENOKEY) or a frozen DIMM (EIO), where nothing did.
     */
    private void keyCommand(Dev dev, String nmem, String passphrase, String verb, String what) {
        String before = devices.rawState(dev);
        Long key = passphrase == null ? null : keyring.add(commandKeyName(nmem), passphrase);
        try {
            nd.command(nmem, verb + " " + (key == null ? 0 : key));
            if (key != null) {
                state.recordPassphrase(dev.serial(), true);
            }
        } catch (SysfsError e) {
            if (key != null
                    && nd.cxlBridge(nmem)
                    && e.errno() == SysfsError.Errno.ENXIO
                    && "disabled".equals(before)
                    && !verb.startsWith("master")) {
                // No user passphrase to compare with: the ENXIO is one of the other return codes
                // (unsupported, invalid security state; QEMU 10 answers unsupported), not
                // PASSPHRASE.
                throw AgentProblem.refused(
                        what
                                + " of "
                                + dev.serial()
                                + ": the device refused the command (ENXIO) while it reports no"
                                + " passphrase set, so not for a wrong passphrase; no attempt counted",
                        e.errno());
            }
            if (key != null && wrongPassphrase(nmem, e.errno())) {
                if (verb.startsWith("master")) {
                    // counts nothing: nfit.c nd_intel_test_cmd_master_secure_erase(), Debian
                    // 6.12.118, run in KernelIT (docs/kernel.md)
                    throw AgentProblem.wrongMasterPassphrase(devices.attemptsLeft(dev), e.errno());
                }
                state.recordPassphrase(dev.serial(), false);
                if (nd.cxlBridge(nmem)) {
                    // ENXIO is ambiguous: the device's own state is the one fact beside it
                    String now = devices.rawState(dev);
                    if ("frozen".equals(now)) {
                        state.exhaustPassphrases(dev.serial(), attemptLimit());
                    }
                    throw AgentProblem.maybeWrongPassphrase(
                            devices.attemptsLeft(dev),
                            "frozen".equals(now)
                                    ? "the device reports its passphrase limit reached (frozen)"
                                    : "the device reports itself " + now);
                }
                throw AgentProblem.wrongPassphrase(devices.attemptsLeft(dev), e.errno());
            }
            if (e.errno() == SysfsError.Errno.ENOKEY) {
                throw AgentProblem.keyUnavailable(
                        what
                                + " of "
                                + dev.serial()
                                + ": the kernel found no key it"
                                + " can use under its key id (ENOKEY); nothing reached the device");
            }
            if (e.errno() == SysfsError.Errno.EIO && nd.frozen(nmem)) {
                throw AgentProblem.refused(
                        dev.serial() + " is frozen: the kernel refuses its security commands (EIO)",
                        e.errno());
            }
            throw AgentProblem.of(e, what + " of " + dev.serial());
        } finally {
            if (key != null) {
                keyring.remove(key);
            }
        }
    }

    /**
     * Sets the count of wrong passphrases back to none, which an admin does after a power cycle:
     * the agent's count is an estimate where the kernel's answers are ambiguous (CXL's ENXIO), and
     * a cold reset gives the device its attempts back.
     */
    synchronized void resetAttemptEstimate(String serial) {
        Dev dev = devices.require(serial);
        state.recordPassphrase(dev.serial(), true);
        log.info("Attempt estimate of {} ({}) reset", dev.name(), dev.serial());
    }

    private int attemptLimit() {
        return devices.attemptLimit();
    }

    /**
     * Whether a security write's errno means the device refused the passphrase (so it reached the
     * device and counts): a CXL device answers the mailbox return code PASSPHRASE with -ENXIO
     * (drivers/cxl/cxlmem.h, the return-code table), Intel's NFIT DSMs a wrong passphrase with
     * -EINVAL (drivers/acpi/nfit/intel.c; both read in Debian's 6.12.118 source, where cxlmem.h
     * maps eight return codes to -ENXIO). -ENOKEY (no usable key) and -EIO (frozen) never reached
     * it.
     */
    private boolean wrongPassphrase(String nmem, SysfsError.Errno errno) {
        return nd.cxlBridge(nmem)
                ? errno == SysfsError.Errno.ENXIO
                : errno == SysfsError.Errno.EINVAL;
    }

    /**
     * A name no other key has, for a command that names its key by id ({@code erase <keyid>}): the
     * kernel finds it by id and never reads the description (drivers/nvdimm/security.c {@code
     * nvdimm_lookup_user_key()}), and adding under a name that exists would replace that key.
     */
    private static String commandKeyName(String nmem) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "lethe:" + nmem + ":" + HexFormat.of().formatHex(bytes);
    }

    private String securityDevice(Dev dev) {
        if (dev.nmem() == null) {
            throw AgentProblem.unsupported(
                    dev.serial()
                            + " has no nvdimm security interface (no bridge nmem with cxl/id)");
        }
        requireSecurity(dev);
        return dev.nmem();
    }

    private void requireSecurity(Dev dev) {
        if (!nd.hasSecurity(dev.nmem())) {
            throw AgentProblem.unsupported(
                    dev.nmem()
                            + " ("
                            + dev.serial()
                            + ") has no security attribute: the DIMM offers"
                            + " no security commands (overwrite, erase, unlock)");
        }
    }

    private void checkAttempts(Dev dev) {
        if (devices.attemptsLeft(dev) == 0) {
            throw AgentProblem.refused(
                    dev.serial() + " has no passphrase attempt left", SysfsError.Errno.EPERM);
        }
    }

    private static void checkPassphrase(String passphrase) {
        if (passphrase == null
                || passphrase.isEmpty()
                || passphrase.getBytes(StandardCharsets.UTF_8).length > 32) {
            throw AgentProblem.badRequest("passphrase must be 1 to 32 bytes");
        }
    }
}
