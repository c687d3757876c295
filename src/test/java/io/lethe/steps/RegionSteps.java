package io.lethe.steps;

import io.lethe.engine.Operation;
import io.lethe.engine.StepName;
import io.lethe.region.HostLedger;
import java.time.Instant;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What the region steps' tests set up through the real steps and the host's ledger. */
final class RegionSteps {

    private RegionSteps() {}

    /** The fencing token a recorded {@code detachRegion}/{@code commitRegion} call carried. */
    static long fence(String call) {
        return Long.parseLong(call.substring(call.indexOf("fence ") + 6, call.length() - 1));
    }

    /** The operation detaches the region through the real detach step. */
    static void detach(ApplicationContext context, StepWorld world, Operation op) {
        world.run(context.getBean(DetachRegionStep.class), op, StepName.DETACH_REGION);
    }

    /** The device's memory changed: the host numbers the change. */
    static long change(ApplicationContext context, StepWorld world) {
        return context.getBean(HostLedger.class).recordMediaChange(world.hostId, world.deviceId);
    }

    /** An invalidation of the host succeeded, numbered now (after every change before it). */
    static long invalidated(ApplicationContext context, StepWorld world) {
        HostLedger ledger = context.getBean(HostLedger.class);
        long seq =
                new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
                        .execute(s -> ledger.nextInvalidationNumber(world.hostId));
        ledger.recordInvalidation(world.hostId, seq, Instant.now());
        return seq;
    }
}
