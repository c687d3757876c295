package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.steps.CoalescingPolicy.Decision;
import io.lethe.steps.CoalescingPolicy.HostState;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The coalescing decision, case by case: host order numbers decide coverage, clocks only how long
 * to wait.
 */
class CoalescingPolicyTest {

    final CoalescingPolicy policy =
            new CoalescingPolicy(Duration.ofSeconds(60), Duration.ofSeconds(20));
    final UUID self = new UUID(0, 1);
    final UUID other = new UUID(0, 2);
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void anInvalidationNumberedAfterTheChangeCoversIt() {
        assertThat(policy.decide(new HostState(null, null, 8L), self, 7L, true, t0, t0))
                .isEqualTo(Decision.COVERED);
    }

    @Test
    void anInvalidationNumberedBeforeOrAtTheChangeDoesNot() {
        assertThat(policy.decide(new HostState(null, null, 7L), self, 7L, false, t0, t0))
                .isEqualTo(Decision.CLAIM);
        assertThat(policy.decide(new HostState(null, null, 6L), self, 7L, false, t0, t0))
                .isEqualTo(Decision.CLAIM);
    }

    @Test
    void anOperationThatChangedNothingIsCoveredByAnyEarlierInvalidation() {
        assertThat(policy.decide(new HostState(null, null, 1L), self, null, false, t0, t0))
                .isEqualTo(Decision.COVERED);
        assertThat(policy.decide(new HostState(null, null, null), self, null, false, t0, t0))
                .isEqualTo(Decision.CLAIM);
    }

    @Test
    void anotherOperationsFreshClaimMakesItWaitAndAStaleOneIsTakenOver() {
        HostState claimed = new HostState(other, t0, null);
        assertThat(policy.decide(claimed, self, 3L, false, t0, t0.plusSeconds(19)))
                .isEqualTo(Decision.WAIT);
        assertThat(policy.decide(claimed, self, 3L, false, t0, t0.plusSeconds(20)))
                .isEqualTo(Decision.CLAIM);
        assertThat(policy.decide(new HostState(self, t0, null), self, 3L, false, t0, t0))
                .as("its own claim")
                .isEqualTo(Decision.CLAIM);
    }

    @Test
    void itWaitsForTheHostsOtherChangesOnlyWithinTheWindow() {
        HostState idle = new HostState(null, null, null);
        assertThat(policy.decide(idle, self, 3L, true, t0, t0.plusSeconds(59)))
                .isEqualTo(Decision.WAIT);
        assertThat(policy.decide(idle, self, 3L, true, t0, t0.plusSeconds(60)))
                .isEqualTo(Decision.CLAIM);
        assertThat(policy.decide(idle, self, 3L, false, t0, t0)).isEqualTo(Decision.CLAIM);
    }
}
