package io.lethe.certificate;

import io.lethe.audit.OutsideCopy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Carries each signed checkpoint out of the database as it is made, to the configured sinks (an
 * append-only file per replica, an HTTP witness). A sink that fails never holds anything up: the
 * checkpoint waits in this replica's memory (the newest {@value #MAX_PENDING} at most) and is
 * offered again every {@code lethe.audit.sinks.retry-interval}; failures are counted in {@code
 * lethe_audit_checkpoint_sink_failures_total} and waiting checkpoints in {@code
 * lethe_audit_checkpoint_sink_pending}, both by sink, and verification shows each sink's state. A
 * checkpoint lost with the process leaves no hole: the next one vouches for everything before it.
 */
@Component
class CheckpointSinks {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSinks.class);
    static final int MAX_PENDING = 1_000;

    private final List<Outlet> outlets = new ArrayList<>();
    private final ExecutorService deliveries =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread thread = new Thread(r, "checkpoint-sinks");
                        thread.setDaemon(true);
                        return thread;
                    });

    CheckpointSinks(CheckpointSinkProperties properties, MeterRegistry registry) {
        if (properties.file() != null && !properties.file().isBlank()) {
            outlets.add(new Outlet(new FileCheckpointSink(Path.of(properties.file())), registry));
        }
        if (properties.witnessUrl() != null && !properties.witnessUrl().isBlank()) {
            outlets.add(
                    new Outlet(
                            new WitnessCheckpointSink(URI.create(properties.witnessUrl())),
                            registry));
        }
    }

    /**
     * Offers a committed checkpoint to every sink, on the sinks' own thread: a slow witness holds
     * up neither the caller nor the scheduler's other jobs (audit sealing). Never throws.
     */
    void deliver(AuditCheckpoints.Checkpoint checkpoint) {
        for (Outlet outlet : outlets) {
            outlet.pending.addLast(checkpoint);
            while (outlet.pending.size() > MAX_PENDING) {
                outlet.pending.pollFirst();
            }
            deliveries.execute(outlet::drain);
        }
    }

    @Scheduled(fixedDelayString = "${lethe.audit.sinks.retry-interval:PT10S}")
    void retry() {
        outlets.forEach(outlet -> deliveries.execute(outlet::drain));
    }

    /** Lets the deliveries under way end; nothing here touches the database, nothing interrupts. */
    @PreDestroy
    void stop() {
        deliveries.shutdown();
    }

    boolean any() {
        return !outlets.isEmpty();
    }

    /** What each sink holds, read now; a sink that cannot be read says why. */
    List<Held> held() {
        List<Held> all = new ArrayList<>();
        for (Outlet outlet : outlets) {
            try {
                all.add(new Held(outlet, outlet.sink.held(), null));
            } catch (IOException | RuntimeException e) {
                all.add(new Held(outlet, List.of(), reason(e)));
            }
        }
        return all;
    }

    /** The newest checkpoint the file sinks hold: cheap enough to read before every signing. */
    Optional<AuditCheckpoints.Checkpoint> newestInFiles() {
        Optional<AuditCheckpoints.Checkpoint> newest = Optional.empty();
        for (Outlet outlet : outlets) {
            if (outlet.sink instanceof FileCheckpointSink file) {
                try {
                    Optional<AuditCheckpoints.Checkpoint> last = file.newest();
                    if (last.isPresent()
                            && (newest.isEmpty() || last.get().seq() > newest.get().seq())) {
                        newest = last;
                    }
                } catch (IOException | RuntimeException e) {
                    log.warn("Cannot read {}: {}", file.name(), reason(e));
                }
            }
        }
        return newest;
    }

    record Held(Outlet outlet, List<AuditCheckpoints.Checkpoint> checkpoints, String unreadable) {
        String name() {
            return outlet.sink.name();
        }

        OutsideCopy report(int checked) {
            String error = unreadable != null ? "unreadable: " + unreadable : outlet.lastError;
            return new OutsideCopy(
                    outlet.sink.name(),
                    checked,
                    outlet.pending.size(),
                    (long) outlet.failures.count(),
                    error);
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** One sink with its waiting checkpoints and its counts. */
    static final class Outlet {
        private final CheckpointSink sink;
        private final Deque<AuditCheckpoints.Checkpoint> pending = new ConcurrentLinkedDeque<>();
        private final Counter failures;
        private volatile String lastError;

        Outlet(CheckpointSink sink, MeterRegistry registry) {
            this.sink = sink;
            String kind = sink instanceof FileCheckpointSink ? "file" : "witness";
            this.failures =
                    Counter.builder("lethe.audit.checkpoint.sink.failures")
                            .description("Checkpoint deliveries a sink refused or missed")
                            .tag("sink", kind)
                            .register(registry);
            Gauge.builder("lethe.audit.checkpoint.sink.pending", pending, Deque::size)
                    .description("Checkpoints waiting for a sink")
                    .tag("sink", kind)
                    .register(registry);
        }

        private synchronized void drain() {
            AuditCheckpoints.Checkpoint next;
            while ((next = pending.peekFirst()) != null) {
                try {
                    sink.deliver(next);
                    pending.pollFirst();
                    lastError = null;
                } catch (IOException | RuntimeException e) {
                    failures.increment();
                    lastError = reason(e);
                    log.warn(
                            "Audit checkpoint {} not delivered to {}: {}; retried later",
                            next.seq(),
                            sink.name(),
                            lastError);
                    return;
                }
            }
        }
    }
}
