package io.lethe.agent;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * The highest fencing token each region's reset or commit carried, per kernel region name, in one
 * file under the agent's state directory. A command with a lower token is refused before the agent
 * touches the region: a reset or commit that reaches the agent late (its caller gave up, another
 * decision came since) never undoes a later one. The new highest token is on disk ({@link
 * DurableFiles}) before the agent acts, so a crash right after cannot let an older command through
 * on restart.
 */
@Component
class RegionFences {

    private final Path file;

    RegionFences(AgentProperties properties) {
        this.file = properties.statePath().resolve("region-fences");
    }

    /**
     * Admits a command on {@code region} carrying {@code token}: an equal token is the same command
     * again (a retry), a higher one is recorded first.
     *
     * @throws AgentProblem {@code fenced} (409) when a higher token was seen for the region
     */
    synchronized void admit(String region, long token) {
        Properties seen = load();
        long highest = Long.parseLong(seen.getProperty(region, "0"));
        if (token < highest) {
            throw AgentProblem.fenced(
                    "region "
                            + region
                            + " refused fencing token "
                            + token
                            + ": a later command carried "
                            + highest);
        }
        if (token > highest) {
            seen.setProperty(region, Long.toString(token));
            DurableFiles.replace(file, seen);
        }
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try {
                p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }
}
