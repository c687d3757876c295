package io.lethe.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The next executions decided in one transaction, scheduled when the transaction's work is done:
 * operations due within {@link #SHARED} of each other (plus the time the transaction took so far)
 * share one execution, so the operations of a wave (a batch's operations on one host) that poll or
 * go on together stay one execution. Nobody runs before the time asked for: a shared execution is
 * due at the latest time of its members.
 */
final class NextExecutions {

    /** Due times this close together share an execution. */
    static final Duration SHARED = Duration.ofMillis(100);

    private final List<Due> due = new ArrayList<>();

    /**
     * Due times are computed as the transaction goes on: the same delay asked later lands later by
     * that much.
     */
    private final long createdNanos = System.nanoTime();

    private record Due(Operation operation, Instant at) {}

    void add(Operation operation, Instant at) {
        due.add(new Due(operation, at));
    }

    /** Schedules what was added, in the caller's transaction. */
    void schedule(OperationScheduler scheduler) {
        due.sort(Comparator.comparing(Due::at));
        Duration window = SHARED.plusNanos(System.nanoTime() - createdNanos);
        int i = 0;
        while (i < due.size()) {
            Instant first = due.get(i).at();
            List<Operation> together = new ArrayList<>();
            Instant latest = first;
            while (i < due.size() && !due.get(i).at().isAfter(first.plus(window))) {
                together.add(due.get(i).operation());
                latest = due.get(i).at();
                i++;
            }
            together.sort(Comparator.comparing(Operation::id));
            scheduler.nextTogether(together, latest);
        }
        due.clear();
    }
}
