package io.lethe.security;

import io.lethe.common.LetheProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Limits unlock requests per device and per token over any hour, on top of the device's own attempt
 * limit: guessing passphrases across many requests is slowed before the device locks. The hour
 * slides (the attempts of the last 60 minutes count), so the turn of a clock hour gives no second
 * allowance.
 */
@Component
public class UnlockThrottle {

    private static final Duration HOUR = Duration.ofHours(1);

    /** Start times of the attempts of the last hour, oldest first, per device and per caller. */
    private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

    private final SecurityProperties properties;
    private final Clock clock;

    UnlockThrottle(SecurityProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Refuses an unlock when the device, or the caller, has used up the last hour's attempts.
     * Counts nothing: {@link #tried} does, once the unlock has really started.
     *
     * @param actor the caller's token name, or null for a batch's unlocks, which count per device
     *     only (one batch over a rack must not use up its token's allowance)
     * @throws TooManyUnlockAttempts when the device or the caller has used up the last hour's
     *     attempts
     */
    public void refuse(UUID deviceId, String actor) {
        Instant now = clock.instant();
        Instant free = freeAt("device:" + deviceId, properties.unlockAttemptsPerHour(), now);
        if (free != null) {
            throw new TooManyUnlockAttempts("device " + deviceId, now, free);
        }
        if (actor != null) {
            free = freeAt("actor:" + actor, properties.unlockAttemptsPerHour() * 3, now);
            if (free != null) {
                throw new TooManyUnlockAttempts("this token", now, free);
            }
        }
    }

    /**
     * Counts an unlock that started: one attempt of the device, and of the caller when there is
     * one.
     */
    public void tried(UUID deviceId, String actor) {
        Instant now = clock.instant();
        record("device:" + deviceId, properties.unlockAttemptsPerHour(), now);
        if (actor != null) {
            record("actor:" + actor, properties.unlockAttemptsPerHour() * 3, now);
        }
    }

    /** When the key may try again, or null when it may now. */
    private Instant freeAt(String key, int limit, Instant now) {
        Deque<Instant> recent = attempts.get(key);
        if (recent == null) {
            return null;
        }
        synchronized (recent) {
            forget(recent, now);
            // record() keeps at most the limit, so a full window frees when its oldest is an hour
            // old
            return recent.size() < limit ? null : recent.peekFirst().plus(HOUR);
        }
    }

    private void record(String key, int limit, Instant now) {
        Deque<Instant> recent = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (recent) {
            forget(recent, now);
            recent.addLast(now);
            // requests racing past refuse() may add a few more; more than the limit never matter
            while (recent.size() > limit) {
                recent.removeFirst();
            }
        }
        if (attempts.size() > 100_000) {
            attempts.values()
                    .removeIf(
                            d -> {
                                synchronized (d) {
                                    forget(d, now);
                                    return d.isEmpty();
                                }
                            });
        }
    }

    private static void forget(Deque<Instant> recent, Instant now) {
        Instant hourAgo = now.minus(HOUR);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(hourAgo)) {
            recent.removeFirst();
        }
    }

    /** Too many unlock requests in the last hour. */
    public static final class TooManyUnlockAttempts extends LetheProblem {

        private final long retryAfterSeconds;

        TooManyUnlockAttempts(String who, Instant now, Instant free) {
            super(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "Too many unlock attempts",
                    "Too many unlock requests for " + who + " in the last hour; try again later");
            this.retryAfterSeconds = Math.max(1, Duration.between(now, free).toSeconds());
        }

        @Override
        public Long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
