package io.lethe.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.common.Ids;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The commit barrier lives in the region aggregate; host order numbers, not clocks, decide it. */
class RegionInvariantTest {

    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    final UUID a = Ids.newId();
    final UUID b = Ids.newId();
    final UUID opA = Ids.newId();
    final UUID opB = Ids.newId();

    Region region() {
        return new Region(Ids.newId(), Ids.newId(), "r", 0, 1024, List.of(a, b), true, t0);
    }

    /**
     * The region's decision for {@code operation} (null: none lets go), whose own devices are every
     * member; a decision other than a claim is thrown as the region's refusal.
     */
    CommitDecision decide(Region r, UUID operation, UUID claim) {
        return r.decideCommit(
                operation == null ? List.of() : List.of(operation),
                Set.copyOf(r.deviceIds()),
                () -> null,
                claim,
                t0);
    }

    void claim(Region r, UUID claim) {
        CommitDecision decision = decide(r, null, claim);
        if (decision instanceof CommitDecision.Fails fails) {
            throw fails.why();
        }
        if (decision instanceof CommitDecision.NotNow not) {
            throw new RegionNotReady(not.reason());
        }
    }

    /** Claims the commit and records the hardware's commit of it. */
    void commit(Region r, UUID operation) {
        if (operation != null) {
            r.release(operation, t0);
        }
        UUID claim = Ids.newId();
        claim(r, claim);
        assertThat(r.commitClaimed(claim, t0)).isTrue();
    }

    /** The member whose change the barrier names as uncovered, or null. */
    UUID uncoveredMember(Region r) {
        CommitDecision decision = decide(r, null, Ids.newId());
        if (decision instanceof CommitDecision.Fails fails) {
            return r.deviceIds().stream()
                    .filter(d -> fails.why().getMessage().contains(d.toString()))
                    .findFirst()
                    .orElseThrow();
        }
        return null;
    }

    @Test
    void commitsOnlyAfterAnInvalidationNumberedAfterTheLastChangeOfEveryMember() {
        Region r = region();
        r.hold(opA, t0);
        r.member(a).changed(10, t0);
        r.invalidated(5, t0.plusSeconds(60));
        assertThatThrownBy(() -> commit(r, opA))
                .as("a later clock reading does not help an earlier number")
                .isInstanceOf(RegionNotReady.class)
                .hasMessageContaining(a.toString());
        r.invalidated(11, t0.minusSeconds(60));
        commit(r, opA);
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void anInvalidationNumberedBeforeAnotherMembersChangeDoesNotCountForIt() {
        Region r = region();
        r.hold(opA, t0);
        r.hold(opB, t0);
        r.member(a).changed(1, t0);
        r.invalidated(2, t0);
        r.member(b).changed(3, t0);
        assertThatThrownBy(() -> commit(r, opA)).isInstanceOf(RegionNotReady.class);
        r.release(opA, t0);
        assertThatThrownBy(() -> commit(r, opB))
                .isInstanceOf(RegionNotReady.class)
                .hasMessageContaining(b.toString());
        r.invalidated(4, t0);
        commit(r, opB);
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void staysDetachedWhileAnotherOperationHoldsIt() {
        Region r = region();
        r.hold(opA, t0);
        r.hold(opB, t0);
        assertThat(r.heldByOthers(opA)).isTrue();
        assertThatThrownBy(() -> commit(r, opA)).isInstanceOf(RegionNotReady.class);
        assertThat(r.state()).isEqualTo(RegionState.DETACHED);
    }

    @Test
    void olderInvalidationsNeverMoveTheBarrierBack() {
        Region r = region();
        r.member(a).changed(7, t0);
        r.invalidated(10, t0.plusSeconds(10));
        r.invalidated(5, t0.plusSeconds(50));
        assertThat(r.view().invalidatedAt()).isEqualTo(t0.plusSeconds(10));
        commit(r, null);
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void
            aMemberWhoseChangeStartedAndWasNeverSeenToEndBlocksEveryCommitUntilAFreshChangeIsCovered() {
        Region r = region();
        r.hold(opA, t0);
        r.member(a).changing(opA);
        r.invalidated(100, t0);
        assertThatThrownBy(() -> commit(r, opA))
                .isInstanceOf(RegionNotReady.class)
                .hasMessageContaining("unknown media state");
        r.member(a).untouched(opB);
        assertThatThrownBy(() -> commit(r, opA))
                .as("only the operation that started it may say it never touched")
                .isInstanceOf(RegionNotReady.class);
        r.member(a).changed(101, t0);
        assertThatThrownBy(() -> commit(r, opA))
                .as("the fresh change is not covered yet")
                .isInstanceOf(RegionNotReady.class);
        r.invalidated(102, t0);
        commit(r, opA);
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void aRefusedChangeLeavesTheMemoryKnown() {
        Region r = region();
        r.hold(opA, t0);
        r.member(a).changing(opA);
        r.member(a).untouched(opA);
        commit(r, opA);
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void aRegionWithARetiredMemberNeverCommitsAgain() {
        Region r = region();
        r.member(a).changed(1, t0);
        r.invalidated(2, t0);
        r.retire(a, t0);
        assertThat(r.state()).isEqualTo(RegionState.DETACHED);
        assertThatThrownBy(() -> commit(r, null))
                .isInstanceOf(RegionNotReady.class)
                .hasMessageContaining("retired");
        assertThat(r.removalRefusal())
                .as("it may be removed, to declare a new one without the retired member")
                .isNull();
    }

    @Test
    void aRegionOverAddressesAnotherDecodedCommitsOnlyAfterAnInvalidationNumberedAfterThat() {
        Region r = region();
        r.exposedUntil(7);
        assertThat(r.state()).isEqualTo(RegionState.DETACHED);
        r.invalidated(7, t0);
        assertThatThrownBy(() -> commit(r, null))
                .isInstanceOf(RegionNotReady.class)
                .hasMessageContaining("decoded for another region until host order 7");
        r.invalidated(8, t0);
        commit(r, null);
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void aRemovedRegionLeavesItsRangeUncoveredUntilAnInvalidationAfterItsLastReset() {
        Region r = region();
        r.hold(opA, t0);
        r.decodeStopped(5);
        assertThat(r.uncoveredDecodeUntil(9)).as("no invalidation since the reset").isEqualTo(5);
        r.invalidated(5, t0);
        assertThat(r.uncoveredDecodeUntil(9)).isEqualTo(5);
        r.invalidated(6, t0);
        assertThat(r.uncoveredDecodeUntil(9)).as("covered").isNull();
        Region neverReset = region();
        assertThat(neverReset.uncoveredDecodeUntil(9))
                .as("no reset recorded: the number taken now stands in")
                .isEqualTo(9);
    }

    @Test
    void aRegionWhoseCommitIsPendingIsNotRemoved() {
        Region r = region();
        r.hold(opA, t0);
        r.release(opA, t0);
        UUID claim = Ids.newId();
        claim(r, claim);
        assertThat(r.removalRefusal()).as("its committer may be committing it").contains("commit");
        r.abandonClaim(claim, t0);
        assertThat(r.removalRefusal()).isNull();
    }

    @Test
    void aRegionIsRemovedOnlyWhenDetachedUnheldAndCovered() {
        Region r = region();
        assertThat(r.removalRefusal()).contains("attached");
        r.hold(opA, t0);
        assertThat(r.removalRefusal()).contains("hold");
        r.release(opA, t0);
        r.member(b).changed(4, t0);
        assertThat(r.removalRefusal()).contains(b.toString());
        r.invalidated(5, t0);
        assertThat(r.removalRefusal()).isNull();
    }

    @Test
    void anInvalidationNumberedLikeTheChangeDoesNotCoverIt() {
        Region r = region();
        r.member(a).changed(5, t0);
        r.invalidated(5, t0);
        assertThat(uncoveredMember(r)).isEqualTo(a);
        r.invalidated(6, t0);
        assertThat(uncoveredMember(r)).isNull();
    }

    @Test
    void membersThatNeverChangedNeedNoInvalidation() {
        Region r = region();
        assertThat(uncoveredMember(r)).isNull();
        commit(r, null);
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void anOlderChangeNeverMovesAMembersNumberBack() {
        Region r = region();
        r.member(a).changed(9, t0);
        r.member(a).changed(4, t0);
        r.invalidated(8, t0);
        assertThat(uncoveredMember(r)).as("change #9 still counts").isEqualTo(a);
        Region later = region();
        later.member(b).changed(4, t0);
        later.member(b).changed(9, t0);
        later.invalidated(8, t0);
        assertThat(uncoveredMember(later)).as("a later change moves the number on").isEqualTo(b);
    }

    @Test
    void anInvalidationWithTheSameNumberKeepsTheFirstReportedTime() {
        Region r = region();
        r.invalidated(3, t0);
        r.invalidated(3, t0.plusSeconds(1));
        assertThat(r.view().invalidatedAt()).isEqualTo(t0);
    }

    @Test
    void holdingDetachesAndSaysWhetherItWasAttached() {
        Region r = region();
        assertThat(r.hold(opA, t0)).isTrue();
        assertThat(r.hold(opB, t0)).isFalse();
        assertThat(r.state()).isEqualTo(RegionState.DETACHED);
        r.release(opA, t0.plusSeconds(1));
        assertThat(r.heldByOthers(null)).isTrue();
        assertThat(r.view().updatedAt()).isEqualTo(t0.plusSeconds(1));
        r.release(opA, t0.plusSeconds(2));
        assertThat(r.view().updatedAt())
                .as("letting go twice changes nothing")
                .isEqualTo(t0.plusSeconds(1));
        r.release(opB, t0.plusSeconds(3));
        assertThat(r.heldByOthers(null)).isFalse();
    }

    @Test
    void removalLooksPastRetiredMembersButNotPastUnknownOrUncoveredOnes() {
        Region r = region();
        r.hold(opA, t0);
        r.release(opA, t0);
        r.member(a).changed(3, t0);
        r.retire(a, t0);
        assertThat(r.removalRefusal()).as("a retired member's change does not matter").isNull();
        r.member(b).changing(opB);
        assertThat(r.removalRefusal()).contains("unknown");
        r.member(b).changed(4, t0);
        r.invalidated(4, t0);
        assertThat(r.removalRefusal()).contains(b.toString());
        r.invalidated(5, t0);
        assertThat(r.removalRefusal()).isNull();
    }

    @Test
    void aCommitIsClaimedOnTheSameConditionsAndAttachesOnlyWhenItsClaimIsRecorded() {
        Region r = region();
        r.hold(opA, t0);
        r.member(a).changed(10, t0);
        UUID claim = Ids.newId();
        assertThatThrownBy(() -> claim(r, claim))
                .as("the invariant decides the claim")
                .isInstanceOf(RegionNotReady.class);
        r.invalidated(11, t0);
        r.hold(opB, t0);
        r.release(opA, t0);
        assertThatThrownBy(() -> claim(r, claim))
                .as("another operation holds it")
                .isInstanceOf(RegionNotReady.class)
                .hasMessageContaining("other operations");
        r.release(opB, t0);
        claim(r, claim);
        assertThat(r.state())
                .as("claimed, not yet committed by the hardware")
                .isEqualTo(RegionState.DETACHED);
        assertThat(r.commitClaimed(Ids.newId(), t0))
                .as("only the pending claim is recorded")
                .isFalse();
        assertThat(r.commitClaimed(claim, t0)).isTrue();
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
        assertThat(r.commitClaimed(claim, t0)).as("recorded once").isFalse();
    }

    @Test
    void aDetachSupersedesAPendingCommitClaimAtOnceWithoutComparingClocks() {
        Region r = region();
        r.hold(opA, t0);
        r.release(opA, t0);
        UUID claim = Ids.newId();
        claim(r, claim);
        // The claimer's clock may be far ahead of this replica's: no timestamp is compared.
        r.hold(opB, t0.minusSeconds(3_600));
        assertThat(r.commitClaimed(claim, t0.plusSeconds(1)))
                .as("a superseded claim attaches nothing")
                .isFalse();
        assertThat(r.state()).isEqualTo(RegionState.DETACHED);
        assertThat(r.heldByOthers(null)).isTrue();
    }

    @Test
    void aRefusedCommitAbandonsItsClaimAndAnotherCommitterTakesOverAPendingOne() {
        Region r = region();
        UUID first = Ids.newId();
        UUID second = Ids.newId();
        r.hold(opA, t0);
        r.release(opA, t0);
        claim(r, first);
        r.abandonClaim(first, t0);
        r.hold(opB, t0);
        r.release(opB, t0);
        claim(r, first);
        claim(r, second);
        r.abandonClaim(first, t0);
        assertThat(r.commitClaimed(first, t0)).as("taken over").isFalse();
        assertThat(r.commitClaimed(second, t0)).isTrue();
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void regionsInterleaveOnlyAnAllowedNumberOfWaysAndKnowTheirRange() {
        assertThatThrownBy(
                        () ->
                                new Region(
                                        Ids.newId(),
                                        Ids.newId(),
                                        "r",
                                        0,
                                        1024,
                                        List.of(a, b, opA),
                                        true,
                                        t0))
                .isInstanceOf(IllegalArgumentException.class);
        Region r = new Region(Ids.newId(), Ids.newId(), "r", 1000, 24, List.of(a), false, t0);
        assertThat(r.state()).isEqualTo(RegionState.DETACHED);
        assertThat(r.deviceIds()).containsExactly(a);
        assertThat(r.range().end()).isEqualTo(1024);
        assertThat(r.range().overlaps(1023, 1)).isTrue();
        assertThat(r.range().overlaps(1024, 10)).isFalse();
        assertThat(r.range().overlaps(990, 10)).isFalse();
        assertThat(r.range().overlaps(991, 10)).isTrue();
    }
}
