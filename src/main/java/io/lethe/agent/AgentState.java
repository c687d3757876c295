package io.lethe.agent;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * What the agent must remember across its own restarts, in small files under the state directory:
 * erase tickets (so a status question after a crash names the same erase) and wrong passphrase
 * counts per device (the kernel shows only "frozen" once the limit is reached). Every file is
 * replaced atomically, so a kill leaves the old or the new version.
 */
@Component
class AgentState {

    private final Path tickets;
    private final Path attempts;

    AgentState(AgentProperties properties) {
        this.tickets = properties.statePath().resolve("tickets");
        this.attempts = properties.statePath().resolve("attempts");
    }

    record Ticket(
            String ticket,
            String serial,
            String method,
            String startedAt,
            String finishedAt,
            String failure) {

        Ticket finished(String at) {
            return new Ticket(ticket, serial, method, startedAt, at, failure);
        }
    }

    synchronized Optional<Ticket> ticket(String ticket) {
        Properties p = load(tickets.resolve(ticket));
        if (p == null) {
            return Optional.empty();
        }
        return Optional.of(
                new Ticket(
                        ticket,
                        p.getProperty("serial"),
                        p.getProperty("method"),
                        p.getProperty("startedAt"),
                        p.getProperty("finishedAt"),
                        p.getProperty("failure")));
    }

    synchronized void save(Ticket t) {
        Properties p = new Properties();
        p.setProperty("serial", t.serial());
        p.setProperty("method", t.method());
        p.setProperty("startedAt", t.startedAt());
        if (t.finishedAt() != null) {
            p.setProperty("finishedAt", t.finishedAt());
        }
        if (t.failure() != null) {
            p.setProperty("failure", t.failure());
        }
        store(tickets.resolve(t.ticket()), p);
    }

    synchronized int wrongPassphrases(String serial) {
        Properties p = load(attempts.resolve(fileName(serial)));
        return p == null ? 0 : Integer.parseInt(p.getProperty("wrong", "0"));
    }

    synchronized void recordPassphrase(String serial, boolean right) {
        Properties p = new Properties();
        p.setProperty("wrong", Integer.toString(right ? 0 : wrongPassphrases(serial) + 1));
        store(attempts.resolve(fileName(serial)), p);
    }

    /** The device says its passphrase limit is reached: the count says so too. */
    synchronized void exhaustPassphrases(String serial, int limit) {
        if (wrongPassphrases(serial) < limit) {
            Properties p = new Properties();
            p.setProperty("wrong", Integer.toString(limit));
            store(attempts.resolve(fileName(serial)), p);
        }
    }

    private static String fileName(String serial) {
        return HexFormat.of().formatHex(serial.getBytes(StandardCharsets.UTF_8));
    }

    private static Properties load(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void store(Path file, Properties p) {
        DurableFiles.replace(file, p);
    }
}
