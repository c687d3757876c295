package io.lethe.backend;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hardware calls whose caller may stop waiting for them. Lethe never interrupts a thread that may
 * touch the database: an interrupt that reaches an H2 file write ({@code
 * ClosedByInterruptException}) closes the whole embedded database. So a step past its time limit is
 * <em>abandoned</em>: its thread runs on, undisturbed, and a backend that waits on its own account
 * (the simulated latencies) ends that wait as soon as the call is abandoned and gives up without
 * acting. A real host's calls are bounded by the HTTP client's own timeouts.
 */
public final class AbandonableCalls {

    private static final ThreadLocal<CountDownLatch> ABANDONED = new ThreadLocal<>();

    private AbandonableCalls() {}

    /** Runs {@code work} on this thread as a call that counting {@code abandoned} down abandons. */
    public static <T> T run(CountDownLatch abandoned, Callable<T> work) throws Exception {
        ABANDONED.set(abandoned);
        try {
            return work.call();
        } finally {
            ABANDONED.remove();
        }
    }

    /**
     * Waits {@code duration}, or less if the current call is abandoned meanwhile; answers whether
     * it was. Outside an abandonable call it simply waits.
     */
    public static boolean abandonedWithin(Duration duration) {
        CountDownLatch abandoned = ABANDONED.get();
        try {
            if (abandoned == null) {
                Thread.sleep(duration.toMillis());
                return false;
            }
            return abandoned.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // Nothing in Lethe interrupts these threads; should something else, the call gives up
            // like an abandoned one. The flag is not set again: the caller goes on to record the
            // outcome, and that write must not meet an interrupt.
            return true;
        }
    }
}
