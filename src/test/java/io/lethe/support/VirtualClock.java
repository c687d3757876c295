package io.lethe.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock the test moves: a shared "true" time that only advances when told, plus the skew of the
 * replica currently acting, so that timestamps written by different simulated replicas disagree the
 * way real ones do. Microsecond ticks, like the production clock.
 */
public final class VirtualClock extends Clock {

    private volatile Instant now;
    private volatile Duration skew = Duration.ZERO;

    public VirtualClock(Instant start) {
        this.now = start.truncatedTo(ChronoUnit.MICROS);
    }

    /** The true time, whatever the acting replica's skew. */
    public Instant trueNow() {
        return now;
    }

    public void advance(Duration by) {
        now = now.plus(by).truncatedTo(ChronoUnit.MICROS);
    }

    /** From now on, every reading is off by {@code skew} (the acting replica's clock error). */
    public void skew(Duration skew) {
        this.skew = skew;
    }

    @Override
    public Instant instant() {
        return now.plus(skew);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
