package io.lethe.agent;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Agent mode settings ({@code lethe.agent.*}).
 *
 * @param root               the directory under which the kernel's {@code sys/} and {@code proc/} are read and written
 * @param token              the credential every request must carry ({@code Authorization: Bearer ...}); also
 *                           {@code LETHE_AGENT_TOKEN}, which keeps it off the command line
 * @param stateDir           where the agent keeps erase tickets and passphrase attempt counts across restarts
 * @param passphraseAttempts how many wrong passphrases a device takes before it refuses them all (3 in the kernel's test device)
 */
@ConfigurationProperties("lethe.agent")
public record AgentProperties(Path root, String token, Path stateDir, Integer passphraseAttempts) {

    public AgentProperties {
        root = root == null ? Path.of("/") : root.toAbsolutePath().normalize();
        stateDir = stateDir == null ? root.resolve("var/lib/lethe-agent") : stateDir.toAbsolutePath().normalize();
        passphraseAttempts = passphraseAttempts == null ? 3 : passphraseAttempts;
    }

    @Override
    public String toString() {
        return "AgentProperties[root=" + root + ", stateDir=" + stateDir + ", token=<redacted>]";
    }
}
