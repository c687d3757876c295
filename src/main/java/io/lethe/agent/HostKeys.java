package io.lethe.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The host's own sealed keys, where {@code ndctl setup-passphrase} keeps them: {@code
 * <dir>/nvdimm_<id>_<hostname>.blob}, the key's {@code keyctl read} text, loaded back as {@code
 * nvdimm:<id>} (pmem/ndctl {@code ndctl/keys.c} {@code get_key_path()}, {@code get_key_desc()},
 * {@code dimm_load_key()}; ndctl refuses blobs over 4096 bytes). Used only for devices the agent's
 * configuration lists ({@link AgentProperties#hostKeySerials()}).
 */
@Component
class HostKeys {

    private static final int MAX_BLOB = 4096;

    private final AgentProperties properties;
    private final Sysfs sysfs;

    HostKeys(AgentProperties properties, Sysfs sysfs) {
        this.properties = properties;
        this.sysfs = sysfs;
    }

    /**
     * The sealed blob for this device under the first of its key names that has one.
     *
     * @param descriptions the names the kernel may look the device's key up under ({@code
     *     nvdimm:<id>})
     */
    String blobFor(String serial, List<String> descriptions) {
        if (!properties.hostKeyEnabled(serial)) {
            throw AgentProblem.hostKeyNotEnabled(
                    "the host's own key is not enabled for "
                            + serial
                            + " in this agent's configuration (lethe.agent.host-key-serials);"
                            + " nothing reached the device");
        }
        // ndctl names the file by gethostname(), which is the UTS name the kernel shows here
        String hostname = sysfs.read("proc/sys/kernel/hostname").strip();
        List<Path> tried = new ArrayList<>();
        for (String description : descriptions) {
            String id = description.substring(description.indexOf(':') + 1);
            Path blob = Path.of(properties.hostKeyDir(), "nvdimm_" + id + "_" + hostname + ".blob");
            tried.add(blob);
            if (Files.isRegularFile(blob)) {
                return read(blob);
            }
        }
        throw AgentProblem.keyUnavailable(
                "no sealed key for "
                        + serial
                        + " (looked for "
                        + tried
                        + "; ndctl setup-passphrase leaves it there); nothing reached the device");
    }

    private static String read(Path blob) {
        try {
            long size = Files.size(blob);
            if (size == 0 || size > MAX_BLOB) {
                throw AgentProblem.keyUnavailable(
                        blob
                                + " is not a sealed key ("
                                + size
                                + " bytes); nothing reached the device");
            }
            return Files.readString(blob, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw AgentProblem.keyUnavailable(
                    blob
                            + " cannot be read ("
                            + e.getClass().getSimpleName()
                            + "); nothing reached the device");
        }
    }
}
