package io.lethe.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.common.Ids;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The commit barrier lives in the region aggregate. */
class RegionInvariantTest {

    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    final UUID a = Ids.newId();
    final UUID b = Ids.newId();
    final UUID opA = Ids.newId();
    final UUID opB = Ids.newId();

    Region region() {
        return new Region(Ids.newId(), Ids.newId(), "r", 0, 1024, List.of(a, b), true, t0);
    }

    @Test
    void commitsOnlyAfterAnInvalidationThatStartedAfterTheLastChangeOfEveryMember() {
        Region r = region();
        r.hold(opA, t0);
        r.mediaChanged(a, t0.plusSeconds(10));
        r.invalidated(t0.plusSeconds(5));
        assertThatThrownBy(() -> r.commit(opA, t0.plusSeconds(20))).isInstanceOf(RegionNotReady.class)
                .hasMessageContaining(a.toString());
        r.invalidated(t0.plusSeconds(10));
        assertThatThrownBy(() -> r.commit(opA, t0.plusSeconds(20))).as("started at the same instant is not after")
                .isInstanceOf(RegionNotReady.class);
        r.invalidated(t0.plusSeconds(11));
        r.commit(opA, t0.plusSeconds(20));
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void anInvalidationThatBeganBeforeAnotherMembersEraseEndedDoesNotCountForIt() {
        Region r = region();
        r.hold(opA, t0);
        r.hold(opB, t0);
        r.mediaChanged(a, t0.plusSeconds(1));
        r.invalidated(t0.plusSeconds(2));
        r.mediaChanged(b, t0.plusSeconds(3));
        assertThatThrownBy(() -> r.commit(opA, t0.plusSeconds(4))).isInstanceOf(RegionNotReady.class);
        r.release(opA, t0.plusSeconds(4));
        assertThatThrownBy(() -> r.commit(opB, t0.plusSeconds(5))).isInstanceOf(RegionNotReady.class)
                .hasMessageContaining(b.toString());
        r.invalidated(t0.plusSeconds(6));
        r.commit(opB, t0.plusSeconds(7));
        assertThat(r.state()).isEqualTo(RegionState.ATTACHED);
    }

    @Test
    void staysDetachedWhileAnotherOperationHoldsIt() {
        Region r = region();
        r.hold(opA, t0);
        r.hold(opB, t0);
        assertThat(r.heldByOthers(opA)).isTrue();
        assertThatThrownBy(() -> r.commit(opA, t0)).isInstanceOf(RegionNotReady.class);
        assertThat(r.state()).isEqualTo(RegionState.DETACHED);
    }

    @Test
    void olderInvalidationsNeverMoveTheBarrierBack() {
        Region r = region();
        r.invalidated(t0.plusSeconds(10));
        r.invalidated(t0.plusSeconds(5));
        assertThat(r.view().invalidatedAt()).isEqualTo(t0.plusSeconds(10));
    }
}
