package io.lethe.operation;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.HostBackend;
import io.lethe.common.StepName;
import io.lethe.device.DeviceView;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import java.time.Duration;
import java.util.UUID;

/**
 * One kind of step, keyed by its name. {@link #run} does the step's hardware actions outside any
 * transaction and must be idempotent: it may run again after a crash, so it checks before it acts.
 * What it returns is recorded, with the database effects it carries, in one transaction.
 */
interface StepHandler {

    StepName step();

    StepResult run(StepContext context);

    /**
     * Database effects of the step's start, in the transaction that records it started (before any
     * hardware action of the step): a step that changes memory marks it unknown here.
     */
    default void started(Operation operation) {
    }

    /** Whether {@link #runTogether} serves several operations sharing a region at once. */
    default boolean runsTogether() {
        return false;
    }

    /**
     * Runs the step for several operations of one host that share a region (a wave's members), as
     * one action on the region; answers a result per operation id. Same rules as {@link #run}.
     */
    default java.util.Map<UUID, StepResult> runTogether(java.util.List<StepContext> contexts) {
        throw new UnsupportedOperationException(step().wire() + " runs one operation at a time");
    }

    /** What a step needs to know, read when the step starts. */
    record StepContext(UUID operationId, StepName step, OperationType type, EraseMethod method, boolean master,
            boolean allowFinalAttempt, String sealedPassphrase, String verifyEvidence, HostView host, DeviceView device,
            RegionView region, HostBackend backend, java.time.Instant stepStartedAt, Long mediaChangeSeq) {

        @Override
        public String toString() {
            return "StepContext[operation=" + operationId + ", type=" + type + ", device=" + device.id() + "]";
        }
    }

    /** How a run ended. Effects run inside the transaction that records the result. */
    sealed interface StepResult {

        Effects NONE = operation -> {
        };

        /** The step is done. */
        record Done(String detail, Effects effects) implements StepResult {
            Done(String detail) {
                this(detail, NONE);
            }
        }

        /** The step goes on in the device (an erase): ask again after a while. */
        record Poll(Duration after, Integer percent, String detail) implements StepResult {
        }

        /**
         * The step failed in a way no retry mends. {@code memoryUntouched}: the device refused
         * before changing anything (a wrong passphrase), so it need not be quarantined.
         */
        record Fail(String reason, Effects effects, boolean memoryUntouched) implements StepResult {
            Fail(String reason) {
                this(reason, NONE, false);
            }

            Fail(String reason, Effects effects) {
                this(reason, effects, false);
            }
        }
    }

    @FunctionalInterface
    interface Effects {
        void apply(Operation operation);
    }
}
