package io.lethe.region;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.common.Ids;
import io.lethe.support.Api;
import io.lethe.support.Publishing;
import io.lethe.support.TestInventory;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The region module lets go of a region when its holder's end is published, in the holder's
 * transaction (issue #37, item 4): detached unless the holder hands a recommit, and then committed
 * through the claim protocol only after the end committed, only when nobody else holds it. The
 * hardware commit here is a probe; the region's rows are read back from the database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegionHoldEndsTest {

    @LocalServerPort int port;
    @Autowired RegionCommits commits;
    @Autowired ApplicationEventPublisher events;
    @Autowired PlatformTransactionManager transactions;
    @Autowired JdbcTemplate jdbc;

    UUID region;
    final UUID holder = Ids.newId();

    record Ended(UUID regionId, UUID holder, Recommit recommit) implements RegionHoldEnded {}

    Publishing ends() {
        return new Publishing(events, transactions);
    }

    @BeforeEach
    void detachedRegion() {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "ends-" + UUID.randomUUID());
        String device = TestInventory.device(api, host, "END-" + UUID.randomUUID());
        region = UUID.fromString(TestInventory.attachedRegion(api, host, List.of(device), 1048576));
        commits.detachForAll(region, List.of(holder), fence -> {});
    }

    @Test
    void anEndWithoutARecommitLetsGoAndLeavesTheRegionDetached() {
        ends().committed(new Ended(region, holder, null));
        assertThat(holds()).isEmpty();
        assertThat(state()).isEqualTo("detached");
    }

    @Test
    void aRecommitDecodesTheRegionOnlyAfterTheEndCommitted() {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean endCommitted = new AtomicBoolean();
        ends().committed(
                        new Ended(
                                region,
                                holder,
                                (view, fence) -> {
                                    calls.incrementAndGet();
                                    // read on a connection of its own: the end's release is seen
                                    // only
                                    // once it committed
                                    endCommitted.set(holdsSeenElsewhere().isEmpty());
                                    assertThat(view.id()).isEqualTo(region);
                                    return true;
                                }));
        assertThat(calls).hasValue(1);
        assertThat(endCommitted).as("the hardware is called after the end committed").isTrue();
        assertThat(state()).isEqualTo("attached");
        assertThat(holds()).isEmpty();
    }

    @Test
    void aRecommitWaitsWhileAnotherHoldsTheRegion() {
        UUID other = Ids.newId();
        commits.detachForAll(region, List.of(other), fence -> {});
        AtomicInteger calls = new AtomicInteger();
        ends().committed(new Ended(region, holder, (view, fence) -> calls.incrementAndGet() > 0));
        assertThat(calls).hasValue(0);
        assertThat(state()).isEqualTo("detached");
        assertThat(holds()).containsExactly(other);
    }

    @Test
    void anEndRolledBackLetsGoOfNothingAndCallsNoHardware() {
        AtomicInteger calls = new AtomicInteger();
        ends().rolledBack(new Ended(region, holder, (view, fence) -> calls.incrementAndGet() > 0));
        assertThat(calls).hasValue(0);
        assertThat(holds()).containsExactly(holder);
        assertThat(state()).isEqualTo("detached");
    }

    private List<UUID> holds() {
        return jdbc.queryForList(
                "select operation_id from region_holds where region_id = ?", UUID.class, region);
    }

    private List<UUID> holdsSeenElsewhere() {
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return own.execute(s -> holds());
    }

    private String state() {
        return jdbc.queryForObject("select state from regions where id = ?", String.class, region);
    }
}
