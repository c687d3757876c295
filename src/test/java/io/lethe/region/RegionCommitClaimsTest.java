package io.lethe.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.common.Ids;
import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The region commit's claim protocol on the real database: the hardware is called between the
 * transaction that claims the commit and the one that records it, a refused call leaves the region
 * detached, and a claim left by a committer that died (written here as a crash would leave it)
 * blocks detaches only until it is stale, while the next commit takes it over.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegionCommitClaimsTest {

    @LocalServerPort int port;
    @Autowired RegionCommits regions;
    @Autowired JdbcTemplate jdbc;

    UUID region;
    final UUID operation = Ids.newId();

    @BeforeEach
    void detachedRegion() {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "claims-" + UUID.randomUUID());
        String device = TestInventory.device(api, host, "CLAIM-" + UUID.randomUUID());
        region = UUID.fromString(TestInventory.attachedRegion(api, host, List.of(device), 1048576));
        regions.detachForAll(region, List.of(operation), fence -> {});
    }

    @Test
    void theHardwareIsCalledBetweenTheClaimAndItsRecord() {
        AtomicInteger calls = new AtomicInteger();
        var outcome =
                regions.releaseAndCommitAll(
                        region,
                        List.of(operation),
                        Set.of(),
                        fence -> {
                            calls.incrementAndGet();
                            // the claim is committed, the region not yet attached
                            assertThat(claim()).isNotNull();
                            assertThat(state()).isEqualTo("detached");
                            return true;
                        });
        assertThat(outcome.committed()).isTrue();
        assertThat(calls).hasValue(1);
        assertThat(state()).isEqualTo("attached");
        assertThat(claim()).isNull();
    }

    @Test
    void aRefusedCommitLeavesTheRegionDetachedAndUnclaimed() {
        assertThatThrownBy(
                        () ->
                                regions.releaseAndCommitAll(
                                        region,
                                        List.of(operation),
                                        Set.of(),
                                        fence -> {
                                            throw new IllegalStateException("refused");
                                        }))
                .hasMessage("refused");
        assertThat(state()).isEqualTo("detached");
        assertThat(claim()).isNull();
    }

    @Test
    void aClaimLeftByACrashIsTakenOverByTheNextCommitOrSupersededByADetach() {
        regions.releaseAndCommitAll(region, List.of(operation), Set.of(), fence -> true);
        regions.detachForAll(region, List.of(operation), fence -> {});
        regions.releaseDetached(region, operation);
        UUID dead = UUID.randomUUID();
        leaveClaim(dead, Instant.now());

        AtomicInteger calls = new AtomicInteger();
        var outcome =
                regions.releaseAndCommitAll(
                        region, List.of(), Set.of(), fence -> calls.incrementAndGet() > 0);
        assertThat(outcome.committed()).isTrue();
        assertThat(calls).as("the next committer commits again").hasValue(1);
        assertThat(state()).isEqualTo("attached");

        UUID other = Ids.newId();
        regions.detachForAll(region, List.of(other), fence -> {});
        regions.releaseDetached(region, other);
        // A claim written a moment ago by a replica whose clock is an hour ahead: no clock decides.
        leaveClaim(dead, Instant.now().plusSeconds(3_600));
        regions.detachForAll(region, List.of(other), fence -> {});
        assertThat(claim()).as("a detach supersedes a pending claim at once").isNull();
        assertThat(state()).isEqualTo("detached");
    }

    @Test
    void everyDecisionCarriesAHigherFencingTokenThanTheOnesBeforeIt() {
        List<Long> tokens = new ArrayList<>();
        regions.releaseAndCommitAll(
                region, List.of(operation), Set.of(), fence -> tokens.add(fence));
        regions.detachForAll(region, List.of(operation), tokens::add);
        regions.releaseAndCommitAll(
                region, List.of(operation), Set.of(), fence -> tokens.add(fence));
        assertThat(tokens).hasSize(3).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aCommitTheHostRefusedForALaterTokenLeavesTheRegionDetachedAndUnclaimed() {
        var outcome =
                regions.releaseAndCommitAll(region, List.of(operation), Set.of(), fence -> false);
        assertThat(outcome.committed()).isFalse();
        assertThat(outcome.reason()).contains("superseded");
        assertThat(state()).isEqualTo("detached");
        assertThat(claim()).isNull();
    }

    private void leaveClaim(UUID claim, Instant at) {
        jdbc.update(
                "update regions set commit_claim = ?, commit_claimed_at = ? where id = ?",
                claim,
                Timestamp.from(at),
                region);
    }

    private UUID claim() {
        return jdbc.queryForObject(
                "select commit_claim from regions where id = ?", UUID.class, region);
    }

    private String state() {
        return jdbc.queryForObject("select state from regions where id = ?", String.class, region);
    }
}
