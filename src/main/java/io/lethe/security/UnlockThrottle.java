package io.lethe.security;

import io.lethe.common.LetheProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Limits unlock requests per device and per token in one-hour windows, on top of the device's own
 * attempt limit: guessing passphrases across many requests is slowed before the device locks.
 */
@Component
public class UnlockThrottle {

    private final Map<String, long[]> windows = new ConcurrentHashMap<>();
    private final SecurityProperties properties;
    private final Clock clock;

    UnlockThrottle(SecurityProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Refuses an unlock when the device, or the caller, has used up this hour's attempts. Counts
     * nothing: {@link #tried} does, once the unlock has really started.
     *
     * @param actor the caller's token name, or null for a batch's unlocks, which count per device
     *     only (one batch over a rack must not use up its token's allowance)
     * @throws TooManyUnlockAttempts when the device or the caller has used up this hour's attempts
     */
    public void refuse(UUID deviceId, String actor) {
        long hour = clock.instant().toEpochMilli() / 3_600_000;
        if (used("device:" + deviceId, hour) >= properties.unlockAttemptsPerHour()) {
            throw new TooManyUnlockAttempts("device " + deviceId);
        }
        if (actor != null
                && used("actor:" + actor, hour) >= properties.unlockAttemptsPerHour() * 3L) {
            throw new TooManyUnlockAttempts("this token");
        }
    }

    /**
     * Counts an unlock that started: one attempt of the device, and of the caller when there is
     * one.
     */
    public void tried(UUID deviceId, String actor) {
        long hour = clock.instant().toEpochMilli() / 3_600_000;
        increment("device:" + deviceId, hour);
        if (actor != null) {
            increment("actor:" + actor, hour);
        }
    }

    private long used(String key, long hour) {
        long[] window = windows.get(key);
        return window == null || window[0] != hour ? 0 : window[1];
    }

    private void increment(String key, long hour) {
        windows.compute(
                key,
                (k, w) ->
                        w == null || w[0] != hour
                                ? new long[] {hour, 1}
                                : new long[] {hour, w[1] + 1});
        if (windows.size() > 100_000) {
            windows.entrySet().removeIf(e -> e.getValue()[0] != hour);
        }
    }

    /** Too many unlock requests in this hour. */
    public static final class TooManyUnlockAttempts extends LetheProblem {
        TooManyUnlockAttempts(String who) {
            super(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "Too many unlock attempts",
                    "Too many unlock requests for " + who + " in this hour; try again later");
        }

        @Override
        public Long retryAfterSeconds() {
            return 3600 - Instant.now().getEpochSecond() % 3600;
        }
    }
}
