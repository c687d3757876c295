package io.lethe.steps;

import io.lethe.backend.HostBackend.FoundDevice;
import io.lethe.backend.HostBackend.FoundRegion;
import io.lethe.backend.HostBackend.Inventory;
import io.lethe.backend.simulated.SimulatedHardware;
import io.lethe.backend.simulated.SimulatedMachine;
import io.lethe.common.WireEnum;
import io.lethe.device.DeviceKind;
import io.lethe.device.SecurityState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A simulated host's own tools, outside Lethe, for the stateful test: they program a region into
 * the hardware's decoders as platform firmware or {@code cxl create-region} would, and the host's
 * agent reports what the hardware holds when Lethe discovers the host.
 *
 * <p>The assumption this rests on: the agent reports the hardware truthfully (every device, every
 * region with its members in interleave order, decoding or not). Whether the real agent does so is
 * proved elsewhere, on the emulated kernel ({@code DiscoveryAppliesTheDeclarationRulesTest}); here
 * the question is what Lethe does with such a report, judged by the physical model's read-back.
 *
 * <p>The simulated machine names a region by Lethe's id, where a kernel names it itself; a region
 * Lethe takes is renamed to Lethe's id on the machine ({@link #adopt}), nothing else changes.
 */
final class HostTooling {

    /** A region the tools made that Lethe has not taken: its name on the host and its size. */
    private record Outside(String name, long sizeBytes) {}

    private final JdbcTemplate jdbc;
    private final SimulatedHardware hardware;
    private final Map<String, Outside> outside = new ConcurrentHashMap<>();
    private int made;

    HostTooling(JdbcTemplate jdbc, SimulatedHardware hardware) {
        this.jdbc = jdbc;
        this.hardware = hardware;
    }

    /**
     * What the host's agent reports: the devices as the hardware has them (security state, and
     * attempts where a passphrase is set), and every region the hardware holds.
     */
    Inventory inventory(UUID host) {
        Map<String, FoundDevice> byId = new HashMap<>();
        Map<String, String> serials = new HashMap<>();
        hardware.read(
                host,
                m -> {
                    jdbc.query(
                            "select id, kind, serial, manufacturer, model, firmware_version,"
                                    + " capacity_bytes from devices where host_id = ?",
                            rs -> {
                                String id = rs.getObject(1, UUID.class).toString();
                                SimulatedMachine.SimDevice device = m.devices.get(id);
                                if (device == null) {
                                    return;
                                }
                                serials.put(id, rs.getString(3));
                                byId.put(
                                        id,
                                        new FoundDevice(
                                                WireEnum.require(DeviceKind.class, rs.getString(2)),
                                                rs.getString(3),
                                                rs.getString(4),
                                                rs.getString(5),
                                                rs.getString(6),
                                                rs.getLong(7),
                                                device.security,
                                                device.passphraseHash == null
                                                        ? null
                                                        : device.attemptsLeft));
                            },
                            host);
                    return null;
                });
        List<FoundRegion> regions = new ArrayList<>();
        Map<String, long[]> recorded = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        jdbc.query(
                "select id, name, size_bytes from regions where host_id = ?",
                rs -> {
                    String id = rs.getObject(1, UUID.class).toString();
                    names.put(id, rs.getString(2));
                    recorded.put(id, new long[] {rs.getLong(3)});
                },
                host);
        hardware.read(
                host,
                m -> {
                    m.regions.forEach(
                            (key, region) -> {
                                Outside made = outside.get(key);
                                String name = made != null ? made.name() : names.get(key);
                                long size = made != null ? made.sizeBytes() : recorded.get(key)[0];
                                regions.add(
                                        new FoundRegion(
                                                name,
                                                region.base,
                                                size,
                                                region.members.stream().map(serials::get).toList(),
                                                region.decoded));
                            });
                    return null;
                });
        return new Inventory(new ArrayList<>(byId.values()), regions, null);
    }

    /**
     * Programs a region into the decoders over the devices given; it decodes only if asked and the
     * hardware allows (no member locked or still erasing). Answers its key on the machine.
     */
    UUID create(UUID host, long base, long sizeBytes, List<UUID> members, boolean decoding) {
        UUID key = UUID.randomUUID();
        String name = "fw-" + (++made);
        hardware.change(
                host,
                m -> {
                    boolean can = decoding;
                    for (UUID member : members) {
                        SimulatedMachine.SimDevice device = m.device(member);
                        can &=
                                device.security != SecurityState.LOCKED
                                        && (device.erase == null || device.erase.done);
                    }
                    m.addRegion(key, base, members, can);
                    return null;
                });
        outside.put(key.toString(), new Outside(name, sizeBytes));
        return key;
    }

    String name(UUID key) {
        return outside.get(key.toString()).name();
    }

    boolean decodes(UUID host, UUID key) {
        return hardware.read(host, m -> m.regions.get(key.toString()).decoded);
    }

    /**
     * Lethe took the region under its own id: the machine knows it by that id (Lethe's simulated
     * inventory added it as reported), so the tools' name for it goes.
     */
    void adopt(UUID host, UUID key) {
        hardware.change(host, m -> m.regions.remove(key.toString()));
        outside.remove(key.toString());
    }

    /** The operator resets the region on the host: it stays, decoding nothing. */
    void reset(UUID host, UUID key) {
        hardware.change(
                host,
                m -> {
                    m.regions.get(key.toString()).decoded = false;
                    return null;
                });
    }

    /** The operator destroys the region on the host. */
    void destroy(UUID host, UUID key) {
        hardware.change(host, m -> m.regions.remove(key.toString()));
        outside.remove(key.toString());
    }

    /** Whether [base, base + size) is free of every region the host's hardware holds. */
    boolean free(UUID host, long base, long sizeBytes) {
        Map<String, Long> sizes = new HashMap<>();
        jdbc.query(
                "select id, size_bytes from regions where host_id = ?",
                rs -> {
                    sizes.put(rs.getObject(1, UUID.class).toString(), rs.getLong(2));
                },
                host);
        outside.forEach((key, made) -> sizes.put(key, made.sizeBytes()));
        return hardware.read(
                host,
                m ->
                        m.regions.entrySet().stream()
                                .noneMatch(
                                        e -> {
                                            long start = e.getValue().base;
                                            long end = start + sizes.getOrDefault(e.getKey(), 0L);
                                            return start < base + sizeBytes && base < end;
                                        }));
    }
}
