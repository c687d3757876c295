package io.lethe.agent;

import java.io.IOException;
import java.io.StringWriter;
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

/**
 * The agent's small state files, replaced whole: written to a sibling, forced to disk, moved into
 * place atomically, and the directory forced, so that a kill or power loss leaves the old or the
 * new version, and a version the agent acted on is on disk before it acts.
 */
final class DurableFiles {

    private DurableFiles() {}

    static void replace(Path file, Properties content) {
        try {
            Files.createDirectories(file.getParent());
            StringWriter text = new StringWriter();
            content.store(text, null);
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel out =
                    FileChannel.open(
                            temporary,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
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
