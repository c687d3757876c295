package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.EraseMethod;
import io.lethe.common.Ids;
import io.lethe.device.DeviceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the next executions a transaction decided are shared out. */
class NextExecutionsTest {

    private final Instant now = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void operationsDueTogetherShareOneExecutionDueAtTheLatestOfThem() {
        Recording scheduler = new Recording();
        NextExecutions next = new NextExecutions();
        Operation a = operation();
        Operation b = operation();
        Operation c = operation();
        next.add(c, now.plusSeconds(2));
        next.add(a, now.plusMillis(250));
        next.add(b, now.plusMillis(300));
        next.schedule(scheduler);

        assertThat(scheduler.calls).hasSize(2);
        assertThat(scheduler.calls.get(0).operations()).containsExactlyInAnyOrder(a, b);
        assertThat(scheduler.calls.get(0).at())
                .as("nobody runs before its time")
                .isEqualTo(now.plusMillis(300));
        assertThat(scheduler.calls.get(1).operations()).containsExactly(c);
        assertThat(scheduler.calls.get(1).at()).isEqualTo(now.plusSeconds(2));
    }

    @Test
    void aLoneOperationGetsAnExecutionOfItsOwnAndNothingIsScheduledTwice() {
        Recording scheduler = new Recording();
        NextExecutions next = new NextExecutions();
        Operation a = operation();
        next.add(a, now);
        next.schedule(scheduler);
        next.schedule(scheduler);
        assertThat(scheduler.calls).hasSize(1);
        assertThat(scheduler.calls.get(0).operations()).containsExactly(a);
        assertThat(scheduler.calls.get(0).at()).isEqualTo(now);
    }

    @Test
    void aWavesExecutionNamesEveryMemberWithItsTick() {
        assertThat(
                        OperationScheduler.members(
                                "wave-" + OperationScheduler.instanceId(Ids.newId(), 3),
                                "01a20d4b-0ba3-7365-bc2a-92f19e66b134:3,01a20d4b-0ba4-73e2-beaa-a0741f689202:7"))
                .extracting(OperationScheduler.Member::tick)
                .containsExactly(3L, 7L);
        var id = Ids.newId();
        assertThat(OperationScheduler.members(OperationScheduler.instanceId(id, 5), id.toString()))
                .containsExactly(new OperationScheduler.Member(id, 5));
    }

    private Operation operation() {
        return new Operation(
                Ids.newId(),
                OperationType.SECURE_ERASE,
                new OperationTarget(Ids.newId(), Ids.newId(), null, null, DeviceStatus.AVAILABLE),
                OperationRequest.because(null).erasing(EraseMethod.SANITIZE),
                "test",
                now,
                now.plusSeconds(3600));
    }

    private record Call(List<Operation> operations, Instant at) {}

    /** Records what would be scheduled instead of scheduling it. */
    private static final class Recording extends OperationScheduler {
        final List<Call> calls = new ArrayList<>();

        Recording() {
            super(null, null, null);
        }

        @Override
        public void nextTogether(List<Operation> operations, Instant at) {
            calls.add(new Call(List.copyOf(operations), at));
        }
    }
}
