package io.lethe.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host's keyring through {@code keyctl(1)}. The passphrase goes through standard input
 * ({@code keyctl padd}), never on a command line where {@code ps} could show it.
 */
class KeyctlKeyring implements Keyring {

    @Override
    public long add(String description, String passphrase) {
        String out = run(List.of("keyctl", "padd", "user", description, "@u"), passphrase);
        try {
            return Long.parseLong(out.strip());
        } catch (NumberFormatException e) {
            throw new SysfsError(SysfsError.Errno.ENOKEY, "keyctl padd " + description);
        }
    }

    @Override
    public void remove(long keyId) {
        try {
            run(List.of("keyctl", "unlink", Long.toString(keyId), "@u"), null);
        } catch (SysfsError gone) {
            // already unlinked: nothing to remove
        }
    }

    private static String run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new SysfsError(SysfsError.Errno.ENOKEY, String.join(" ", command.subList(0, 2)));
            }
            return out;
        } catch (IOException e) {
            throw new SysfsError(SysfsError.Errno.EOPNOTSUPP, "keyctl (is keyutils installed?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SysfsError(SysfsError.Errno.EIO, "keyctl");
        }
    }
}
