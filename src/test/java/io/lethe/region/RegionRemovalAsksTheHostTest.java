package io.lethe.region;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.simulated.SimulatedHardware;
import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Before Lethe removes a region its record calls detached, it asks the host: where the hardware
 * still decodes it (a commit that landed unseen, a host changed by hand), the removal is refused
 * with its own problem code and nothing changes. The oracle is the simulated machine's decoders.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegionRemovalAsksTheHostTest {

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;
    @Autowired ApplicationContext context;

    @Test
    void aRegionTheHostStillDecodesIsNotRemovedWhateverLethesRecordSays() {
        Api api = new Api(port);
        UUID host = UUID.fromString(TestInventory.simulatedHost(api, "probe-" + UUID.randomUUID()));
        String device = TestInventory.device(api, host, "PROBE-" + UUID.randomUUID());
        String region = TestInventory.attachedRegion(api, host, List.of(device), 1048576L);
        // Lethe's record says detached; the hardware's decoders are committed.
        jdbc.update("update regions set state = 'detached' where id = ?", UUID.fromString(region));

        var refused = api.delete("/api/v1/regions/" + region);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.contentType()).contains("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo("region-decodes");
        assertThat(api.get("/api/v1/regions/" + region).status()).isEqualTo(200);

        SimulatedHardware hardware = new SimulatedHardware(context);
        hardware.change(
                host,
                m -> {
                    m.regions.get(region).decoded = false;
                    return null;
                });
        assertThat(api.delete("/api/v1/regions/" + region).status()).isEqualTo(204);
    }
}
