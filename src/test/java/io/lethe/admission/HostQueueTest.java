package io.lethe.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.engine.OperationQueries.Active;
import io.lethe.engine.OperationState;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HostQueueTest {

    // Ids as the database orders them: unsigned, so the one with the high bit set comes last.
    static final UUID FIRST = new UUID(0x0000_0000_0000_0001L, 1);
    static final UUID SECOND = new UUID(0x7000_0000_0000_0000L, 1);
    static final UUID THIRD = new UUID(0x8000_0000_0000_0000L, 1);

    @Test
    void aWaitingOperationIsBehindEveryOlderOneStillWaitingCancelledOnesIncluded() {
        var queue =
                new EraseAdmission.HostQueue(
                        List.of(
                                new Active(FIRST, OperationState.QUEUED, false, true),
                                new Active(SECOND, OperationState.RUNNING, true, false),
                                new Active(THIRD, OperationState.QUEUED, false, false)));

        assertThat(queue.position(FIRST)).isEqualTo(1);
        assertThat(queue.position(THIRD)).isEqualTo(2);
        assertThat(queue.admitted()).isEqualTo(1);
    }

    @Test
    void admittedOperationsAreNotInTheQueue() {
        var queue =
                new EraseAdmission.HostQueue(
                        List.of(
                                new Active(FIRST, OperationState.QUEUED, true, false),
                                new Active(SECOND, OperationState.RUNNING, true, false),
                                new Active(THIRD, OperationState.QUEUED, false, false)));

        assertThat(queue.position(THIRD)).isEqualTo(1);
        assertThat(queue.admitted()).isEqualTo(2);
        assertThat(queue.anyWaiting()).isTrue();
    }

    @Test
    void onlyACancelledOperationWaitingMeansNoneWaits() {
        var queue =
                new EraseAdmission.HostQueue(
                        List.of(
                                new Active(FIRST, OperationState.QUEUED, false, true),
                                new Active(SECOND, OperationState.RUNNING, true, false)));

        assertThat(queue.anyWaiting()).isFalse();
    }
}
