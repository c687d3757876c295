package io.lethe.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host's keyring through {@code keyctl(1)}, loading passphrases the way the kernel looks them
 * up: the nvdimm security code only uses an {@code encrypted} key with a 32-byte decrypted payload
 * ({@code nvdimm_lookup_user_key()}, {@code nvdimm_request_key()} in drivers/nvdimm/security.c);
 * with any other key it finds nothing and an unlock sends the zero key, which spends a real
 * attempt. As ndctl does ({@code ndctl/keys.c}), the key is sealed by the master key {@code
 * nvdimm-master} (a {@code user} key the operator loads) and its payload is given: {@code new enc32
 * user:nvdimm-master 32 <hex>}. A given payload needs the {@code
 * encrypted_keys.user_decrypted_data=1} module parameter
 * (security/keys/encrypted-keys/encrypted.c), which has no sysfs entry: the first load tries a
 * throwaway key with a random payload and refuses with a clear problem when the kernel rejects it,
 * before any passphrase goes near the keyring. The user keyring is linked into the session keyring
 * first, as ndctl's tests do ({@code test/security.sh}), so the kernel's lookup finds the key.
 * Payloads go through standard input ({@code keyctl padd}), never on a command line where {@code
 * ps} could show them; a key is invalidated (destroyed at once) after its command.
 */
class KeyctlKeyring implements Keyring {

    static final String MASTER = "nvdimm-master";
    static final String PARAMETER = "encrypted_keys.user_decrypted_data";
    private static final int PASSPHRASE_LEN = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private volatile boolean payloadsAccepted;

    @Override
    public long add(String description, String passphrase) {
        prepare();
        byte[] payload = Arrays.copyOf(passphrase.getBytes(StandardCharsets.UTF_8), PASSPHRASE_LEN);
        try {
            Result added =
                    run(List.of("keyctl", "padd", "encrypted", description, "@u"), sealed(payload));
            if (!added.ok()) {
                throw AgentProblem.keyUnavailable(
                        "the kernel refused the encrypted key "
                                + description
                                + " (keyctl padd encrypted: "
                                + added.firstLine()
                                + ")");
            }
            return parseId(added);
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    /**
     * {@code load <blob>} through standard input: the blob is {@code keyctl read} of the key ndctl
     * made ({@code ndctl/keys.c} {@code dimm_create_key()}), sealed by the master key it names, so
     * no passphrase is given and {@link #PARAMETER} is not needed.
     */
    @Override
    public long load(String description, String sealedBlob) {
        run(List.of("keyctl", "link", "@u", "@s"), null);
        Result loaded =
                run(
                        List.of("keyctl", "padd", "encrypted", description, "@u"),
                        "load " + sealedBlob.strip());
        if (!loaded.ok()) {
            throw AgentProblem.keyUnavailable(
                    "the kernel refused the host's sealed key for "
                            + description
                            + " (keyctl padd encrypted ... load: "
                            + loaded.firstLine()
                            + "); is the master key the blob names loaded (ndctl-loadkeys loads "
                            + MASTER
                            + " at boot)? Nothing reached the device");
        }
        return parseId(loaded);
    }

    /**
     * {@code keyctl search @s encrypted <description>}: the session keyring, with the user keyring
     * linked into it, is where the kernel's lookup at probe searches ({@code request_key()}).
     */
    @Override
    public boolean holds(String description) {
        run(List.of("keyctl", "link", "@u", "@s"), null);
        return run(List.of("keyctl", "search", "@s", "encrypted", description), null).ok();
    }

    @Override
    public void remove(long keyId) {
        // invalidate destroys the key now; unlinking alone would leave it to the garbage collector
        if (!run(List.of("keyctl", "invalidate", Long.toString(keyId)), null).ok()) {
            run(List.of("keyctl", "unlink", Long.toString(keyId), "@u"), null);
        }
    }

    private void prepare() {
        if (!run(List.of("keyctl", "search", "@u", "user", MASTER), null).ok()) {
            throw AgentProblem.keyUnavailable(
                    "no master key: load a user key named "
                            + MASTER
                            + " into root's user keyring (as ndctl does) before passphrase commands; nothing reached the device");
        }
        run(List.of("keyctl", "link", "@u", "@s"), null);
        if (payloadsAccepted) {
            return;
        }
        byte[] random = new byte[PASSPHRASE_LEN];
        RANDOM.nextBytes(random);
        Result probe =
                run(
                        List.of(
                                "keyctl",
                                "padd",
                                "encrypted",
                                "lethe-probe-" + HexFormat.of().formatHex(random, 0, 8),
                                "@u"),
                        sealed(random));
        if (!probe.ok()) {
            throw AgentProblem.keyUnavailable(
                    "the kernel does not accept a given payload for encrypted keys (a "
                            + "throwaway key was refused: "
                            + probe.firstLine()
                            + "); boot with "
                            + PARAMETER
                            + "=1, or the"
                            + " kernel cannot be handed a passphrase; nothing reached the device");
        }
        remove(parseId(probe));
        payloadsAccepted = true;
    }

    private static String sealed(byte[] payload) {
        return "new enc32 user:"
                + MASTER
                + " "
                + PASSPHRASE_LEN
                + " "
                + HexFormat.of().formatHex(payload);
    }

    private static long parseId(Result result) {
        try {
            return Long.parseLong(result.output().strip());
        } catch (NumberFormatException e) {
            throw new SysfsError(SysfsError.Errno.ENOKEY, "keyctl padd");
        }
    }

    record Result(boolean ok, String output) {
        String firstLine() {
            return output.lines().findFirst().orElse("").strip();
        }
    }

    private static Result run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = process.waitFor(10, TimeUnit.SECONDS);
            return new Result(done && process.exitValue() == 0, out);
        } catch (IOException e) {
            throw AgentProblem.keyUnavailable(
                    "keyctl cannot run (is keyutils installed?); nothing reached the device");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SysfsError(SysfsError.Errno.EIO, "keyctl");
        }
    }
}
