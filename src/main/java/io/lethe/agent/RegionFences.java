package io.lethe.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * The highest fencing token each region's reset or commit carried, per kernel region name, in one
 * file under the agent's state directory. A command with a lower token is refused before the agent
 * touches the region: a reset or commit that reaches the agent late (its caller gave up, another
 * decision came since) never undoes a later one. The new highest token is on disk (written, forced
 * and moved into place) before the agent acts, so a crash right after cannot let an older command
 * through on restart.
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
            store(seen);
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

    private void store(Properties p) {
        try {
            Files.createDirectories(file.getParent());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            p.store(bytes, null);
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel out =
                    FileChannel.open(
                            temporary,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(bytes.toByteArray()));
                out.force(true);
            }
            try {
                Files.move(
                        temporary,
                        file,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rename is durable once the directory is forced (Linux allows opening it to read). */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // Some file systems refuse to open a directory; the file itself was forced.
        }
    }
}
