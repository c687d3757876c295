package io.lethe.operation;

import io.lethe.common.LetheProblem;
import io.lethe.engine.OperationView;
import io.lethe.engine.WorkflowProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Long polls without a request thread each: a waiting {@code ?wait=} request is a {@link
 * DeferredResult} that one shared poller completes when its operation ends or its time is up, so a
 * few hundred waiting clients hold no server thread. Each token may hold at most {@code
 * lethe.workflow.max-waits-per-token} waits and event streams at once on a replica; beyond that the
 * answer is 429 with {@code Retry-After}.
 */
@Component
class Waits implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Waits.class);
    private static final Duration TICK = Duration.ofMillis(200);

    private final OperationService operations;
    private final WorkflowProperties properties;
    private final Map<String, AtomicInteger> held = new ConcurrentHashMap<>();
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "lethe-waits");
                        t.setDaemon(true);
                        return t;
                    });

    Waits(OperationService operations, WorkflowProperties properties, MeterRegistry registry) {
        this.operations = operations;
        this.properties = properties;
        registry.gauge(
                "lethe.waits.active",
                held,
                h -> h.values().stream().mapToInt(AtomicInteger::get).sum());
        poller.scheduleWithFixedDelay(
                this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One of a token's waits or streams; released once, whatever ends it. */
    final class Slot {
        private final AtomicInteger count;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(AtomicInteger count) {
            this.count = count;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        }
    }

    /** Takes one of the token's slots, or refuses with 429. */
    Slot acquire(String actor) {
        AtomicInteger count = held.computeIfAbsent(actor, a -> new AtomicInteger());
        if (count.incrementAndGet() > properties.maxWaitsPerToken()) {
            count.decrementAndGet();
            throw new TooManyWaits(properties.maxWaitsPerToken());
        }
        return new Slot(count);
    }

    /** Waits of every token on this replica, for tests and the gauge. */
    int active() {
        return held.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    DeferredResult<OperationView> until(OperationView current, Duration wait, String actor) {
        Slot slot = acquire(actor);
        DeferredResult<OperationView> result = new DeferredResult<>(wait.toMillis() + 10_000);
        Waiter waiter = new Waiter(current.id(), System.nanoTime() + wait.toNanos(), result);
        result.onCompletion(
                () -> {
                    waiters.remove(waiter);
                    slot.release();
                });
        result.onTimeout(() -> result.setResult(operations.get(current.id().toString())));
        result.onError(
                e -> {
                    waiters.remove(waiter);
                    slot.release();
                });
        waiters.add(waiter);
        return result;
    }

    /** Reads each waited-for operation once per tick, however many clients wait for it. */
    private void tick() {
        if (waiters.isEmpty()) {
            return;
        }
        Map<UUID, OperationView> seen = new HashMap<>();
        long now = System.nanoTime();
        for (Waiter waiter : waiters) {
            try {
                OperationView view =
                        seen.computeIfAbsent(
                                waiter.operation(), id -> operations.get(id.toString()));
                if (LongPoll.ended(view) || now - waiter.deadline() >= 0) {
                    waiters.remove(waiter);
                    waiter.result().setResult(view);
                }
            } catch (RuntimeException e) {
                log.warn(
                        "A long poll of operation {} could not be answered: {}",
                        waiter.operation(),
                        e.getClass().getSimpleName());
                waiters.remove(waiter);
                waiter.result().setErrorResult(e);
            }
        }
    }

    @Override
    public void destroy() {
        // Not shutdownNow(): the poller reads the database, and an interrupt during an H2 file
        // read or write closes the embedded database. Its periodic tasks end with shutdown().
        poller.shutdown();
    }

    private record Waiter(UUID operation, long deadline, DeferredResult<OperationView> result) {}

    /** More waits or streams at once than a token may hold. */
    static final class TooManyWaits extends LetheProblem {
        TooManyWaits(int max) {
            super(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "Too many waiting requests",
                    "This token already holds "
                            + max
                            + " long polls or event streams on this replica; close one or try later");
        }

        @Override
        public Long retryAfterSeconds() {
            return 5L;
        }
    }
}
