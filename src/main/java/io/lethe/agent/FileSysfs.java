package io.lethe.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** The real files under the agent's root: on a host, the kernel's own sysfs and procfs. */
class FileSysfs implements Sysfs {

    private final Path root;

    FileSysfs(Path root) {
        this.root = root;
    }

    @Override
    public String read(String path) {
        try {
            return Files.readString(resolve(path), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw error(e, path);
        }
    }

    @Override
    public void write(String path, String value) {
        // An attribute the kernel does not offer is never created by the agent.
        Path file = resolve(path);
        if (!Files.exists(file)) {
            throw new SysfsError(SysfsError.Errno.ENOENT, path);
        }
        try {
            // What echo does: O_WRONLY|O_TRUNC, one write; sysfs ignores the truncation.
            Files.write(
                    file,
                    (value + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw error(e, path);
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(resolve(path));
    }

    @Override
    public List<String> list(String directory) {
        Path dir = resolve(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw error(e, directory);
        }
    }

    @Override
    public String linkTarget(String path) {
        try {
            return Files.readSymbolicLink(resolve(path)).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            throw new SysfsError(SysfsError.Errno.ENOENT, path);
        }
    }

    @Override
    public Mapping map(String path, long offset, long length) {
        return DeviceMapping.open(resolve(path), path, offset, length);
    }

    private Path resolve(String path) {
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            throw new SysfsError(SysfsError.Errno.EPERM, path);
        }
        return resolved;
    }

    private static SysfsError error(IOException e, String path) {
        if (e instanceof NoSuchFileException) {
            return new SysfsError(SysfsError.Errno.ENOENT, path);
        }
        return new SysfsError(SysfsError.Errno.fromMessage(e.getMessage()), path);
    }
}
