package io.lethe.region;

import io.lethe.device.DeviceService;
import io.lethe.device.DeviceStatus;
import io.lethe.device.DeviceView;
import io.lethe.device.SecurityState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Detaching and committing regions, with their fencing tokens: the one path by which any caller (a
 * detach, reattach or attach step, a wave's members, a cancel) takes a region's decoders down or
 * commits them. The hardware is always called outside a transaction, with a token taken in the
 * transaction before it; the region decides whether it may commit ({@link Region#decideCommit}).
 */
@Service
public class RegionCommits {

    private static final Logger log = LoggerFactory.getLogger(RegionCommits.class);

    private final RegionLocks locks;
    private final HostOrder order;
    private final DeviceService devices;
    private final Clock clock;
    private final TransactionTemplate tx;

    /**
     * A claim's outcome is recorded in a transaction of its own, also when the hardware is called
     * after a caller's transaction committed ({@code afterCommit}): there a joining transaction
     * would be the finished one, and the record would be lost while the hardware decodes.
     */
    private final TransactionTemplate ownTx;

    RegionCommits(
            RegionLocks locks,
            HostOrder order,
            DeviceService devices,
            Clock clock,
            PlatformTransactionManager transactions) {
        this.locks = locks;
        this.order = order;
        this.devices = devices;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.ownTx = new TransactionTemplate(transactions);
        this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * The operations (one, or a wave's members) take the region detached: their holds are recorded
     * and committed first, with a fencing token, then {@code resetDecoders} (the hardware action)
     * runs with that token, outside any transaction. From the holds on, nobody commits the region,
     * so until the reset has run the region only counts as detached sooner than it is (fail
     * closed). A pending commit claim is superseded at once: its token is lower, so its hardware
     * commit, should it land after this reset, is refused by the host, and if it landed before,
     * this reset undoes it. No clock is compared. Idempotent for the same operations; a step that
     * failed after its holds were recorded runs it again, with a new token.
     */
    public RegionView detachForAll(
            UUID regionId, List<UUID> operationIds, LongConsumer resetDecoders) {
        Fenced detach =
                tx.execute(
                        s -> {
                            Region region = locks.inOrderOrThrow(regionId);
                            Instant now = clock.instant();
                            operationIds.forEach(id -> region.hold(id, now));
                            return new Fenced(region.view(), order.next(region.hostId()));
                        });
        // Reset even when Lethe believed it detached: the hardware is the truth, and a reset is
        // idempotent.
        resetDecoders.accept(Objects.requireNonNull(detach).fence());
        // From here on no line of its addresses is filled: what an invalidation must come after
        // before other memory decodes there.
        tx.executeWithoutResult(
                s ->
                        locks.inOrder(regionId)
                                .ifPresent(r -> r.decodeStopped(order.next(r.hostId()))));
        return detach.region();
    }

    /** A region as a transaction left it, and the fencing token that transaction took. */
    private record Fenced(RegionView region, long fence) {}

    /**
     * What became of a request to commit a region: committed, or why not, and whether another
     * operation's end commits it then (it holds the region, or its own invalidation is still to
     * cover its member's change).
     */
    public record CommitOutcome(boolean committed, String reason, boolean anotherCommitsIt) {}

    /**
     * The one path to commit a region. These operations let go of the region; it is committed,
     * running {@code commitDecoders} (the hardware action), only when no other operation holds it,
     * every member is ready (none locked, quarantined, retired, or of unknown media state) and the
     * invariant holds. Otherwise it stays detached and the outcome says why.
     *
     * <p>The claim protocol keeps the hardware call out of every transaction: the decision and the
     * releases commit with a claim and a fencing token (under the region's row lock), then the
     * hardware commits the decoders with that token, then the claim is recorded as done (the region
     * attached) or abandoned, each record in a transaction of its own. A detach that comes
     * meanwhile supersedes the claim at once with a higher token ({@link #detachForAll}): the host
     * refuses the lower token if the commit lands after that reset ({@code commitDecoders} answers
     * false, and the claim is abandoned), and the reset undoes it if it landed before. Nothing the
     * decision checked changes before the detach's reset: an erase starts only after it. A
     * committer that dies between the claim and its record leaves a claim that the next commit of
     * the region takes over, or a detach supersedes; the region stays detached in the meantime
     * (fail closed). Called inside a transaction (an operation's end), the claim commits with the
     * caller's transaction and the hardware is called after it committed.
     *
     * @param ownDevices the devices of these operations
     * @param commitDecoders commits with the fencing token it is given; false when the host refused
     *     it for a higher one
     * @throws RegionNotReady when a change of one of {@code ownDevices} is not covered by an
     *     invalidation (the operations let go all the same; the region stays detached)
     */
    public CommitOutcome releaseAndCommitAll(
            UUID regionId,
            List<UUID> operationIds,
            Set<UUID> ownDevices,
            LongPredicate commitDecoders) {
        UUID claim = UUID.randomUUID();
        Claim decided =
                Objects.requireNonNull(
                        tx.execute(
                                s -> {
                                    Region region = locks.inOrderOrThrow(regionId);
                                    CommitDecision decision =
                                            region.decideCommit(
                                                    operationIds,
                                                    ownDevices,
                                                    () -> unreadyMember(region),
                                                    claim,
                                                    clock.instant());
                                    long fence =
                                            decision instanceof CommitDecision.Claimed
                                                    ? order.next(region.hostId())
                                                    : 0;
                                    return new Claim(decision, fence);
                                }));
        if (decided.decision() instanceof CommitDecision.Fails fails) {
            throw fails.why();
        }
        if (decided.decision() instanceof CommitDecision.NotNow not) {
            return new CommitOutcome(false, not.reason(), not.anotherCommitsIt());
        }
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            try {
                                completeClaim(regionId, claim, decided.fence(), commitDecoders);
                            } catch (RuntimeException e) {
                                log.warn(
                                        "Region {} stays detached: its commit failed ({})",
                                        regionId,
                                        e.getMessage());
                            }
                        }
                    });
            return new CommitOutcome(false, "its commit follows once this is recorded", true);
        }
        return completeClaim(regionId, claim, decided.fence(), commitDecoders);
    }

    /** A decision and, where it claimed the commit, the fencing token taken with it. */
    private record Claim(CommitDecision decision, long fence) {}

    /**
     * Calls the hardware for a claimed commit, then records it done or abandoned, each in a
     * transaction of its own.
     */
    private CommitOutcome completeClaim(
            UUID regionId, UUID claim, long fence, LongPredicate commitDecoders) {
        boolean committed;
        try {
            committed = commitDecoders.test(fence);
        } catch (RuntimeException refused) {
            abandon(regionId, claim);
            throw refused;
        }
        if (!committed) {
            // The host saw a later detach's token: the region is that operation's now.
            abandon(regionId, claim);
            return new CommitOutcome(false, "a later detach of it superseded this commit", true);
        }
        Boolean recorded =
                ownTx.execute(
                        s ->
                                locks.inOrder(regionId)
                                        .map(r -> r.commitClaimed(claim, clock.instant()))
                                        .orElse(false));
        return new CommitOutcome(
                true,
                Boolean.TRUE.equals(recorded)
                        ? null
                        : "another operation's commit of it recorded it",
                false);
    }

    private void abandon(UUID regionId, UUID claim) {
        ownTx.executeWithoutResult(
                s ->
                        locks.inOrder(regionId)
                                .ifPresent(r -> r.abandonClaim(claim, clock.instant())));
    }

    /** The operation lets go without committing: the region stays detached (fail closed). */
    @Transactional
    public void releaseDetached(UUID regionId, UUID operationId) {
        locks.inOrder(regionId).ifPresent(r -> r.release(operationId, clock.instant()));
    }

    /**
     * Why a member device keeps the region from decoding (locked, quarantined, retired), or null.
     */
    private String unreadyMember(Region region) {
        return devices.findAll(region.deviceIds()).stream()
                .map(RegionCommits::unready)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    private static String unready(DeviceView device) {
        if (device.securityState() == SecurityState.LOCKED) {
            return "member " + device.id() + " is locked";
        }
        if (device.status() == DeviceStatus.QUARANTINED
                || device.status() == DeviceStatus.DECOMMISSIONED) {
            return "member " + device.id() + " is " + device.status().wire();
        }
        return null;
    }
}
