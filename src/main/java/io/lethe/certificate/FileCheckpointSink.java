package io.lethe.certificate;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * This replica's checkpoints, appended one JSON object a line ({@code seq, hash, at, kid, jws}) and
 * forced to the disk before the delivery counts: the same format {@code lethe audit checkpoints
 * --save} writes and the offline script reads.
 */
final class FileCheckpointSink implements CheckpointSink {

    private static final int TAIL = 16 * 1024;
    private final Path file;

    FileCheckpointSink(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return "file " + file;
    }

    @Override
    public synchronized void deliver(AuditCheckpoints.Checkpoint checkpoint) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        byte[] line =
                (Jws.JSON.writeValueAsString(checkpoint) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
            out.write(ByteBuffer.wrap(line));
            out.force(true);
        }
    }

    @Override
    public synchronized List<AuditCheckpoints.Checkpoint> held() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * The last checkpoint in the file, read from its end: what is checked before every signing, so
     * its cost must not grow with the file.
     */
    synchronized Optional<AuditCheckpoints.Checkpoint> newest() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int tail = (int) Math.min(length, TAIL);
            byte[] bytes = new byte[tail];
            in.seek(length - tail);
            in.readFully(bytes);
            List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    List<AuditCheckpoints.Checkpoint> last = parse(List.of(lines.get(i)));
                    return last.isEmpty() ? Optional.empty() : Optional.of(last.get(0));
                }
            }
            return Optional.empty();
        }
    }

    /** Lines of checkpoints; a line that is no checkpoint is kept as one whose signature fails. */
    static List<AuditCheckpoints.Checkpoint> parse(List<String> lines) {
        List<AuditCheckpoints.Checkpoint> held = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                held.add(of(Jws.JSON.readTree(line)));
            } catch (RuntimeException notAJsonLine) {
                held.add(new AuditCheckpoints.Checkpoint(0, "", Instant.EPOCH, "", line.trim()));
            }
        }
        return held;
    }

    static AuditCheckpoints.Checkpoint of(JsonNode node) {
        return new AuditCheckpoints.Checkpoint(
                node.path("seq").asLong(),
                node.path("hash").asString(""),
                node.hasNonNull("at") ? Instant.parse(node.path("at").asString()) : Instant.EPOCH,
                node.path("kid").asString(""),
                node.path("jws").asString(""));
    }
}
