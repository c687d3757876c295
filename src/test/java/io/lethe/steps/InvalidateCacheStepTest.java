package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.BackendException;
import io.lethe.backend.EraseMethod;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationFixtures;
import io.lethe.engine.OperationType;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import io.lethe.region.HostLedger;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class InvalidateCacheStepTest extends StepTest {

    @Autowired InvalidateCacheStep step;
    @Autowired HostLedger ledger;

    /** An erase whose change the host numbered, as the erase step records it. */
    private Operation erased(StepWorld world) {
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);
        long seq = ledger.recordMediaChange(world.hostId, world.deviceId);
        OperationFixtures.records(op).mediaChange(seq, Instant.now());
        return op;
    }

    @Test
    void theInvalidationThatServesAnEraseIsNumberedAfterItsChange() {
        StepWorld world = world().inRegion(false);
        Operation op = erased(world);

        StepResult result = world.run(step, op, StepName.INVALIDATE_CACHE);
        world.record(result, op);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(world.backend.calls)
                .containsExactly("invalidateCaches(" + world.host().name() + ")");
        assertThat(OperationFixtures.invalidationSeq(op))
                .isGreaterThan(OperationFixtures.mediaChangeSeq(op));
        assertThat(op.view().invalidationStartedAt())
                .isEqualTo(world.backend.invalidation.startedAt());
    }

    @Test
    void anInvalidationTheHostRefusesIsRaisedAndTheNextTryAsksTheHostAgain() {
        StepWorld world = world();
        Operation op = erased(world);
        world.backend.invalidationFailure =
                new BackendException.InvalidationUnsupported("wbinvd is refused in a VM");

        StepResult refused = world.run(step, op, StepName.INVALIDATE_CACHE);
        world.backend.invalidationFailure = null;
        StepResult again = world.run(step, op, StepName.INVALIDATE_CACHE);

        assertThat(refused).isInstanceOf(StepResult.Raised.class);
        assertThat(((StepResult.Raised) refused).cause())
                .isInstanceOf(BackendException.InvalidationUnsupported.class);
        assertThat(again).as("the refused claim was let go").isInstanceOf(StepResult.Done.class);
        assertThat(world.backend.calls).hasSize(2);
    }

    @Test
    void anAttachOverAddressesNoRemovedRegionExposedNeedsNoInvalidation() {
        StepWorld world = world().inRegion(false);
        Operation attach = world.operation(OperationType.ATTACH_REGION_AFTER_DECLARATION, null);

        StepResult result = world.run(step, attach, StepName.INVALIDATE_CACHE);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(((StepResult.Done) result).detail()).contains("nothing to invalidate");
        assertThat(world.backend.calls).isEmpty();
    }
}
