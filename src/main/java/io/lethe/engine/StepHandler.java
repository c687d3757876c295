package io.lethe.engine;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.HostBackend;
import io.lethe.backend.UnlockKey;
import io.lethe.device.DeviceView;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One kind of step, keyed by its name. {@link #run} does the step's hardware actions outside any
 * transaction and must be idempotent: it may run again after a crash, so it checks before it acts.
 * What it returns is recorded, with the database effects it carries, in one transaction.
 */
public interface StepHandler {

    StepName step();

    StepResult run(StepContext context);

    /**
     * Database effects of the step's start, in the transaction that records it started (before any
     * hardware action of the step): a step that changes memory marks it unknown here.
     */
    default void started(Operation operation) {}

    /**
     * Which operations at this step run as one unit: each on its own, those sharing a region (one
     * action on the region), or those on one host (one exchange with the host, see {@link
     * io.lethe.backend.HostBackend#together}).
     */
    default Grouping grouping() {
        return Grouping.NONE;
    }

    /**
     * Runs the step for a unit of operations as {@link #grouping} forms them; answers a result per
     * operation id. Same rules as {@link #run}. By default each member runs on its own, and what
     * one member throws is its own result ({@link StepResult.Raised}), not its siblings'.
     */
    default Map<UUID, StepResult> runAll(List<StepContext> contexts) {
        Map<UUID, StepResult> results = new LinkedHashMap<>();
        for (StepContext context : contexts) {
            StepResult result;
            try {
                result = run(context);
            } catch (RuntimeException e) {
                result = new StepResult.Raised(e);
            }
            results.put(context.operationId(), result);
        }
        return results;
    }

    /**
     * Database effects of the step's start, after {@link #started}: a non-null hold means the step
     * does not run now and the operation is looked at again after {@link Hold#after} (a step that
     * waits for something else on the host). {@code wave}: the operation moves in a wave, whose
     * shared execution looks again soon anyway.
     */
    default Hold holdAtStart(Operation operation, boolean wave) {
        return null;
    }

    /** The step waits before it runs; {@code detail} is shown as its progress. */
    record Hold(Duration after, String detail) {}

    /**
     * A step that acts on a whole unit at once ({@link #runAll}); a lone operation runs as a unit
     * of one.
     */
    interface OfUnits extends StepHandler {

        @Override
        Map<UUID, StepResult> runAll(List<StepContext> contexts);

        @Override
        default StepResult run(StepContext context) {
            return runAll(List.of(context)).get(context.operationId());
        }
    }

    /** How operations at one step are put together into units. */
    enum Grouping {
        /** Each operation runs on its own. */
        NONE,
        /** Operations sharing a region run as one action on it. */
        REGION,
        /** Operations on one host run as one exchange with it. */
        HOST;

        /** Whether operations are put together into one unit by {@link #runAll}. */
        boolean formsUnits() {
            return this == REGION || this == HOST;
        }
    }

    /** What a step needs to know, read when the step starts. */
    record StepContext(
            UUID operationId,
            StepName step,
            OperationType type,
            EraseMethod method,
            boolean master,
            boolean allowFinalAttempt,
            String sealedPassphrase,
            UnlockKey unlockKey,
            String verifyEvidence,
            HostView host,
            DeviceView device,
            RegionView region,
            HostBackend backend,
            Instant stepStartedAt,
            Long mediaChangeSeq) {

        @Override
        public String toString() {
            return "StepContext[operation="
                    + operationId
                    + ", type="
                    + type
                    + ", device="
                    + device.id()
                    + "]";
        }
    }

    /** How a run ended. Effects run inside the transaction that records the result. */
    sealed interface StepResult {

        Effects NONE = records -> {};

        /** The step is done. */
        record Done(String detail, Effects effects) implements StepResult {
            public Done(String detail) {
                this(detail, NONE);
            }
        }

        /**
         * The step threw for this member: recorded like a thrown exception (retried while
         * transient).
         */
        record Raised(RuntimeException cause) implements StepResult {}

        /** The step goes on in the device (an erase): ask again after a while. */
        record Poll(Duration after, Integer percent, String detail) implements StepResult {}

        /**
         * The step failed in a way no retry mends. {@code memoryUntouched}: the device refused
         * before changing anything (a wrong passphrase), so it need not be quarantined.
         */
        record Fail(String reason, Effects effects, boolean memoryUntouched) implements StepResult {
            public Fail(String reason) {
                this(reason, NONE, false);
            }

            public Fail(String reason, Effects effects) {
                this(reason, effects, false);
            }
        }
    }

    @FunctionalInterface
    interface Effects {
        void apply(StepRecords records);
    }
}
