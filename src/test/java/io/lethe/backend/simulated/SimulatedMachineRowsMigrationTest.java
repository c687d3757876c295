package io.lethe.backend.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.device.SecurityState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * An embedded database upgraded in place keeps its simulated hosts: the V14 migration turns each
 * host's JSON document into rows that load as the same machine (media, decoders, cache with its
 * dirty lines, consumed faults, invalidation count).
 */
class SimulatedMachineRowsMigrationTest {

    @Test
    void aMachineKeptAsOneDocumentLoadsTheSameFromItsRowsAfterTheUpgrade() {
        DriverManagerDataSource source =
                new DriverManagerDataSource(
                        "jdbc:h2:mem:upgrade-"
                                + UUID.randomUUID()
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                        "sa",
                        "");
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:db/migration")
                .target("13")
                .load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(source);
        UUID host = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(
                "insert into hosts (id, name, backend_type, cache_invalidation, created_at, updated_at)"
                        + " values (?, 'old', 'simulated-x86', 'supported', ?, ?)",
                host,
                now,
                now);
        UUID device = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID region = UUID.randomUUID();
        SimulatedMachine before = new SimulatedMachine();
        before.addDevice(device, "cxl-memdev", SecurityState.DISABLED, null);
        before.addDevice(other, "cxl-memdev", SecurityState.LOCKED, "secret passphrase");
        before.addRegion(region, 0x1000_0000L, List.of(device, other), true);
        long line = before.linesOf(region, device).get(1);
        before.cpuWrite(line, new byte[SimulatedMachine.LINE]);
        before.consumedFaults.add("erase");
        before.wbinvd();
        before.cpuWrite(line, filled((byte) 7));
        jdbc.update(
                "insert into sim_machines (host_id, state) values (?, ?)",
                host,
                JsonMapper.builder().build().writeValueAsString(before));

        Flyway.configure().dataSource(source).locations("classpath:db/migration").load().migrate();

        SimulatedMachine after = SimulatedMachineRows.load(jdbc, host, false).machine;
        assertThat(after.readMedia(device)).isEqualTo(before.readMedia(device));
        assertThat(after.readMedia(other)).isEqualTo(before.readMedia(other));
        assertThat(after.device(other).security).isEqualTo(SecurityState.LOCKED);
        assertThat(SimulatedSecurity.matches(after.device(other), "secret passphrase")).isTrue();
        assertThat(after.regions.get(region.toString()).decoded).isTrue();
        assertThat(after.cache).containsOnlyKeys(line);
        assertThat(after.cache.get(line).dirty).isTrue();
        assertThat(after.cpuRead(line)).isEqualTo(filled((byte) 7));
        assertThat(after.consumedFaults).containsExactly("erase");
        assertThat(after.invalidations).isEqualTo(1);
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from information_schema.tables where table_name = 'sim_machines'",
                                Long.class))
                .isZero();
    }

    private static byte[] filled(byte value) {
        byte[] line = new byte[SimulatedMachine.LINE];
        Arrays.fill(line, value);
        return line;
    }
}
