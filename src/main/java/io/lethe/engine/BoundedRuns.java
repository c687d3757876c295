package io.lethe.engine;

import io.lethe.backend.AbandonableCalls;
import io.lethe.backend.BackendException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Runs a step's work on a thread of its own within the step's time limit and the shutdown grace.
 * Work that outlives either is abandoned, never interrupted (see {@link AbandonableCalls}): the
 * work may be recording what the hardware did, and an interrupt during an H2 file write closes the
 * embedded database. Whatever abandoned work still does is what a late answer from the hardware
 * would do, and the region commit's claims are made for that.
 */
@Component
class BoundedRuns implements DisposableBean {

    /** How often a running step's caller looks at its time limit and at the shutdown flag. */
    private static final long WATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final WorkflowProperties properties;
    private final ExecutorService runner =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "lethe-step");
                        t.setDaemon(true);
                        return t;
                    });

    BoundedRuns(WorkflowProperties properties) {
        this.properties = properties;
    }

    /**
     * The work's result.
     *
     * @throws StepFailure with the work's exception, or {@link BackendException.TimedOut} past the
     *     step's time limit
     * @throws HandedBack when the replica shuts down and the grace ran out, or this thread was
     *     interrupted (db-scheduler stopping its threads)
     */
    <T> T run(Callable<T> work, BooleanSupplier shuttingDown) {
        CountDownLatch abandoned = new CountDownLatch(1);
        Future<T> running = runner.submit(() -> AbandonableCalls.run(abandoned, work));
        long timeout = System.nanoTime() + properties.stepTimeout().toNanos();
        long grace = Long.MAX_VALUE;
        try {
            while (true) {
                long now = System.nanoTime();
                if (grace == Long.MAX_VALUE && shuttingDown.getAsBoolean()) {
                    grace = now + properties.shutdownGrace().toNanos();
                }
                if (now - grace >= 0) {
                    abandon(running, abandoned);
                    throw new HandedBack();
                }
                if (now - timeout >= 0) {
                    abandon(running, abandoned);
                    throw new StepFailure(
                            new BackendException.TimedOut(
                                    "no answer within " + properties.stepTimeout()));
                }
                try {
                    return running.get(Math.min(WATCH_NANOS, timeout - now), TimeUnit.NANOSECONDS);
                } catch (TimeoutException stillRunning) {
                    // look at the clock and the shutdown flag again
                }
            }
        } catch (InterruptedException e) {
            // Only a stopping scheduler interrupts its threads. The flag stays cleared: what
            // follows records the hand-back in the database, and that write must not meet an
            // interrupt. Whoever runs the handed-back execution resumes the step.
            abandon(running, abandoned);
            throw new HandedBack();
        } catch (ExecutionException e) {
            throw new StepFailure(e.getCause());
        }
    }

    private static void abandon(Future<?> running, CountDownLatch abandoned) {
        abandoned.countDown();
        running.cancel(false);
    }

    /** Lets running work finish on its own; nothing new starts. */
    @Override
    public void destroy() {
        runner.shutdown();
    }

    /** The shutdown grace ran out while the step ran. */
    static final class HandedBack extends RuntimeException {
        HandedBack() {
            super("handed back", null, false, false);
        }
    }

    /** Carries a step's exception out of {@link #run} to the failure path. */
    static final class StepFailure extends RuntimeException {
        StepFailure(Throwable cause) {
            super(cause);
        }
    }
}
