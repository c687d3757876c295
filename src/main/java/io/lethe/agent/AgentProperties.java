package io.lethe.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Agent mode settings ({@code lethe.agent.*}).
 *
 * @param root the directory under which the kernel's {@code sys/} and {@code proc/} are read and
 *     written
 * @param token the credential every request must carry ({@code Authorization: Bearer ...}); also
 *     {@code LETHE_AGENT_TOKEN}, which keeps it off the command line
 * @param stateDir where the agent keeps erase tickets and passphrase attempt counts across restarts
 * @param passphraseAttempts how many wrong passphrases a device takes before it refuses them all (3
 *     in the kernel's test device)
 * @param deviceWait how long a reattach waits for the region's dax device to come back after the
 *     driver is bound
 * @param hostKeyDir where the host's own sealed keys are, as {@code ndctl setup-passphrase} leaves
 *     them: {@code nvdimm_<id>_<hostname>.blob} (default {@code <root>/etc/ndctl/keys})
 * @param hostKeySerials the devices an unlock may use the host's own sealed key for; none unless
 *     listed, so a request cannot make the agent use a key the operator did not mean for Lethe
 */
@ConfigurationProperties("lethe.agent")
public record AgentProperties(
        String root,
        String token,
        String stateDir,
        Integer passphraseAttempts,
        Duration deviceWait,
        String hostKeyDir,
        List<String> hostKeySerials) {

    public AgentProperties {
        // Bound as strings and made paths here: Spring's conversion to Path resolves a string that
        // names a classpath or servlet-context resource ("/" does) through the resource loader, not
        // the filesystem.
        root =
                (root == null || root.isBlank()
                                ? Path.of("/")
                                : Path.of(root).toAbsolutePath().normalize())
                        .toString();
        stateDir =
                (stateDir == null || stateDir.isBlank()
                                ? Path.of(root).resolve("var/lib/lethe-agent")
                                : Path.of(stateDir).toAbsolutePath().normalize())
                        .toString();
        passphraseAttempts = passphraseAttempts == null ? 3 : passphraseAttempts;
        deviceWait = deviceWait == null ? Duration.ofSeconds(10) : deviceWait;
        hostKeyDir =
                (hostKeyDir == null || hostKeyDir.isBlank()
                                ? Path.of(root).resolve("etc/ndctl/keys")
                                : Path.of(hostKeyDir).toAbsolutePath().normalize())
                        .toString();
        hostKeySerials = hostKeySerials == null ? List.of() : List.copyOf(hostKeySerials);
    }

    /** Whether the operator let an unlock of this device use the host's own sealed key. */
    public boolean hostKeyEnabled(String serial) {
        return hostKeySerials.stream().anyMatch(s -> s.equalsIgnoreCase(serial));
    }

    /**
     * The directory under which the kernel's {@code sys/} and {@code proc/} are read and written.
     */
    public Path rootPath() {
        return Path.of(root);
    }

    /** Where erase tickets and attempt counts are kept. */
    public Path statePath() {
        return Path.of(stateDir);
    }

    @Override
    public String toString() {
        return "AgentProperties[root="
                + root
                + ", stateDir="
                + stateDir
                + ", hostKeyDir="
                + hostKeyDir
                + ", hostKeySerials="
                + hostKeySerials
                + ", token=<redacted>]";
    }
}
