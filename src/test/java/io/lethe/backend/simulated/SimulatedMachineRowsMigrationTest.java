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
 * host's JSON document into rows, and V25 moves the rows into the simulated hardware's own store,
 * where they load as the same machine (media, decoders, cache with its dirty lines, consumed
 * faults, invalidation count), and Lethe's database keeps none of them. V25 run again (a process
 * killed after the store committed the copy, before Lethe's database dropped its tables) copies the
 * same machine once, not twice.
 */
class SimulatedMachineRowsMigrationTest {

    @Test
    void aMachineKeptAsOneDocumentLoadsTheSameFromItsRowsAfterTheUpgrade() throws Exception {
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
        before.addDevice(device, "cxl-memdev", SecurityState.DISABLED, null, null);
        before.addDevice(other, "cxl-memdev", SecurityState.LOCKED, "secret passphrase", null);
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

        DriverManagerDataSource own =
                new DriverManagerDataSource(
                        "jdbc:h2:mem:upgrade-own-"
                                + UUID.randomUUID()
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                        "sa",
                        "");
        Flyway.configure().dataSource(own).locations("classpath:db/simulated").load().migrate();
        V25__SimulatedHardwareIntoItsOwnStore v25 =
                new V25__SimulatedHardwareIntoItsOwnStore(new SimulatedHardwareStore(own));
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:db/migration")
                .target("24")
                .load()
                .migrate();
        // the copy of an attempt that did not get to drop Lethe's tables
        v25.copy(jdbc);
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:db/migration")
                .javaMigrations(v25)
                .load()
                .migrate();

        JdbcTemplate store = new JdbcTemplate(own);
        SimulatedMachine after = SimulatedMachineRows.load(store, host, false).machine;
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
        assertThat(store.queryForObject("select count(*) from sim_devices", Long.class))
                .isEqualTo(2);
        assertThat(store.queryForObject("select count(*) from sim_cache_lines", Long.class))
                .isEqualTo(1);
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from information_schema.tables where table_name like 'sim\\_%'",
                                Long.class))
                .as("Lethe's database keeps no simulated hardware")
                .isZero();
    }

    private static byte[] filled(byte value) {
        byte[] line = new byte[SimulatedMachine.LINE];
        Arrays.fill(line, value);
        return line;
    }
}
