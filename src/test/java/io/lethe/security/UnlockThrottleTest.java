package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.support.VirtualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UnlockThrottleTest {

    private final UnlockThrottle throttle =
            new UnlockThrottle(
                    new SecurityProperties(null, null, false, List.of(), 20, 2, 65536),
                    Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC));

    @Test
    void onlyUnlocksThatStartedCount() {
        UUID device = UUID.randomUUID();
        for (int refused = 0; refused < 10; refused++) {
            throttle.refuse(device, "pipeline");
        }
        throttle.tried(device, "pipeline");
        throttle.tried(device, "pipeline");
        assertThatThrownBy(() -> throttle.refuse(device, "pipeline"))
                .isInstanceOf(UnlockThrottle.TooManyUnlockAttempts.class);
    }

    @Test
    void aBatchCountsPerDeviceAndNotAgainstItsToken() {
        for (int i = 0; i < 20; i++) {
            UUID device = UUID.randomUUID();
            throttle.refuse(device, null);
            throttle.tried(device, null);
        }
        assertThatCode(() -> throttle.refuse(UUID.randomUUID(), "pipeline"))
                .as("the token's allowance is untouched")
                .doesNotThrowAnyException();
        UUID device = UUID.randomUUID();
        throttle.tried(device, null);
        throttle.tried(device, null);
        assertThatThrownBy(() -> throttle.refuse(device, null))
                .isInstanceOf(UnlockThrottle.TooManyUnlockAttempts.class);
    }

    @Test
    void theLimitHoldsForAnyHourNotOnlyWithinAClockHour() {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-12-01T06:59:59Z"));
        UnlockThrottle straddled =
                new UnlockThrottle(
                        new SecurityProperties(null, null, false, List.of(), 20, 2, 65536), clock);
        UUID device = UUID.randomUUID();
        straddled.tried(device, "pipeline");
        straddled.tried(device, "pipeline");
        clock.advance(Duration.ofSeconds(2));

        assertThatThrownBy(() -> straddled.refuse(device, "pipeline"))
                .as("two attempts two seconds ago, across the turn of the clock hour")
                .isInstanceOf(UnlockThrottle.TooManyUnlockAttempts.class)
                .satisfies(
                        e ->
                                assertThat(
                                                ((UnlockThrottle.TooManyUnlockAttempts) e)
                                                        .retryAfterSeconds())
                                        .as("seconds until the older attempt is an hour old")
                                        .isEqualTo(3598L));

        clock.advance(Duration.ofMinutes(59).plusSeconds(58));
        assertThatCode(() -> straddled.refuse(device, "pipeline"))
                .as("an hour after the attempts")
                .doesNotThrowAnyException();
    }
}
