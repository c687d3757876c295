package io.lethe.backend.simulated;

import io.lethe.backend.simulated.SimulatedMachine.CacheLine;
import io.lethe.backend.simulated.SimulatedMachine.SimDevice;
import io.lethe.backend.simulated.SimulatedMachine.SimRegion;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated host's machine as rows: one per device and per region (JSON of the model's plain
 * data), one per cached line, and the host's own row (invalidation count, consumed one-shot
 * faults), which every change locks first. A machine is loaded whole and written back as the rows
 * it changed.
 */
public final class SimulatedMachineRows {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SimulatedMachineRows() {}

    /** A machine as loaded, with what its rows said then: what changed is what gets written. */
    static final class Loaded {
        final UUID hostId;
        final SimulatedMachine machine;
        final boolean hostRowExists;
        final long invalidations;
        final String faults;
        final Map<String, String> devices;
        final Map<String, String> regions;
        final Map<Long, CacheLine> cache;

        private Loaded(
                UUID hostId,
                SimulatedMachine machine,
                boolean hostRowExists,
                Map<String, String> devices,
                Map<String, String> regions,
                Map<Long, CacheLine> cache) {
            this.hostId = hostId;
            this.machine = machine;
            this.hostRowExists = hostRowExists;
            this.invalidations = machine.invalidations;
            this.faults = faults(machine);
            this.devices = devices;
            this.regions = regions;
            this.cache = cache;
        }
    }

    /**
     * Loads the host's whole machine; {@code lock}: under the host row's lock (the caller's
     * transaction).
     */
    static Loaded load(JdbcTemplate jdbc, UUID hostId, boolean lock) {
        SimulatedMachine machine = new SimulatedMachine();
        List<Map<String, Object>> host =
                jdbc.queryForList(
                        "select invalidations, consumed_faults from sim_hosts where host_id = ?"
                                + (lock ? " for update" : ""),
                        hostId);
        if (host.isEmpty() && lock) {
            // Created empty and locked: a concurrent first change of the same host waits here.
            jdbc.update(
                    "insert into sim_hosts (host_id) values (?) on conflict do nothing", hostId);
            host =
                    jdbc.queryForList(
                            "select invalidations, consumed_faults from sim_hosts where host_id = ? for update",
                            hostId);
        }
        boolean exists = !host.isEmpty();
        if (exists) {
            machine.invalidations = ((Number) host.get(0).get("invalidations")).longValue();
            String faults = (String) host.get(0).get("consumed_faults");
            if (!faults.isEmpty()) {
                machine.consumedFaults.addAll(Arrays.asList(faults.split(",")));
            }
        }
        Map<String, String> devices = new HashMap<>();
        jdbc.query(
                "select device_id, state from sim_devices where host_id = ?",
                rs -> {
                    String id = rs.getObject(1, UUID.class).toString();
                    devices.put(id, rs.getString(2));
                    machine.devices.put(id, JSON.readValue(rs.getString(2), SimDevice.class));
                },
                hostId);
        Map<String, String> regions = new HashMap<>();
        jdbc.query(
                "select region_id, state from sim_regions where host_id = ?",
                rs -> {
                    String id = rs.getObject(1, UUID.class).toString();
                    regions.put(id, rs.getString(2));
                    machine.regions.put(id, JSON.readValue(rs.getString(2), SimRegion.class));
                },
                hostId);
        Map<Long, CacheLine> cache = new HashMap<>();
        jdbc.query(
                "select address, data, dirty from sim_cache_lines where host_id = ?",
                rs -> {
                    CacheLine line = new CacheLine();
                    line.data = rs.getBytes(2);
                    line.dirty = rs.getBoolean(3);
                    machine.cache.put(rs.getLong(1), line);
                    CacheLine before = new CacheLine();
                    before.data = line.data.clone();
                    before.dirty = line.dirty;
                    cache.put(rs.getLong(1), before);
                },
                hostId);
        return new Loaded(hostId, machine, exists, devices, regions, cache);
    }

    /**
     * Writes the rows the machine changed since it was loaded; in the caller's transaction, under
     * its lock.
     */
    static void write(JdbcTemplate jdbc, Loaded loaded) {
        SimulatedMachine m = loaded.machine;
        UUID host = loaded.hostId;
        if (!loaded.hostRowExists) {
            jdbc.update("insert into sim_hosts (host_id) values (?) on conflict do nothing", host);
        }
        String faults = faults(m);
        if (m.invalidations != loaded.invalidations || !faults.equals(loaded.faults)) {
            jdbc.update(
                    "update sim_hosts set invalidations = ?, consumed_faults = ? where host_id = ?",
                    m.invalidations,
                    faults,
                    host);
        }
        List<Object[]> insert = new ArrayList<>();
        List<Object[]> update = new ArrayList<>();
        m.devices.forEach(
                (id, device) -> {
                    String state = JSON.writeValueAsString(device);
                    String before = loaded.devices.get(id);
                    if (before == null) {
                        insert.add(new Object[] {UUID.fromString(id), host, state});
                    } else if (!before.equals(state)) {
                        update.add(new Object[] {state, UUID.fromString(id)});
                    }
                });
        batch(jdbc, "insert into sim_devices (device_id, host_id, state) values (?, ?, ?)", insert);
        batch(jdbc, "update sim_devices set state = ? where device_id = ?", update);
        insert.clear();
        update.clear();
        List<Object[]> delete = new ArrayList<>();
        m.regions.forEach(
                (id, region) -> {
                    String state = JSON.writeValueAsString(region);
                    String before = loaded.regions.get(id);
                    if (before == null) {
                        insert.add(new Object[] {UUID.fromString(id), host, state});
                    } else if (!before.equals(state)) {
                        update.add(new Object[] {state, UUID.fromString(id)});
                    }
                });
        loaded.regions.keySet().stream()
                .filter(id -> !m.regions.containsKey(id))
                .forEach(id -> delete.add(new Object[] {UUID.fromString(id)}));
        batch(jdbc, "delete from sim_regions where region_id = ?", delete);
        batch(jdbc, "insert into sim_regions (region_id, host_id, state) values (?, ?, ?)", insert);
        batch(jdbc, "update sim_regions set state = ? where region_id = ?", update);
        insert.clear();
        update.clear();
        delete.clear();
        m.cache.forEach(
                (address, line) -> {
                    CacheLine before = loaded.cache.get(address);
                    if (before == null) {
                        insert.add(new Object[] {host, address, line.data, line.dirty});
                    } else if (before.dirty != line.dirty
                            || !Arrays.equals(before.data, line.data)) {
                        update.add(new Object[] {line.data, line.dirty, host, address});
                    }
                });
        loaded.cache.keySet().stream()
                .filter(address -> !m.cache.containsKey(address))
                .forEach(address -> delete.add(new Object[] {host, address}));
        batch(jdbc, "delete from sim_cache_lines where host_id = ? and address = ?", delete);
        batch(
                jdbc,
                "insert into sim_cache_lines (host_id, address, data, dirty) values (?, ?, ?, ?)",
                insert);
        batch(
                jdbc,
                "update sim_cache_lines set data = ?, dirty = ? where host_id = ? and address = ?",
                update);
    }

    private static void batch(JdbcTemplate jdbc, String sql, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows);
        }
    }

    private static String faults(SimulatedMachine machine) {
        return String.join(",", new TreeSet<>(machine.consumedFaults));
    }

    /**
     * Flyway migration V14: each host's JSON document becomes rows, then the old table goes. Runs
     * in the migration's transaction on its connection.
     */
    public static void moveDocumentsIntoRows(Connection connection) throws SQLException {
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        jdbc.query(
                "select host_id, state from sim_machines",
                rs -> {
                    UUID host = rs.getObject(1, UUID.class);
                    Loaded empty = load(jdbc, host, true);
                    SimulatedMachine document =
                            JSON.readValue(rs.getString(2), SimulatedMachine.class);
                    empty.machine.devices.putAll(document.devices);
                    empty.machine.regions.putAll(document.regions);
                    empty.machine.cache.putAll(document.cache);
                    empty.machine.consumedFaults.addAll(document.consumedFaults);
                    empty.machine.invalidations = document.invalidations;
                    write(jdbc, empty);
                });
        jdbc.execute("drop table sim_machines");
    }
}
