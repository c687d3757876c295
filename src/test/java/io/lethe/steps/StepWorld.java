package io.lethe.steps;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.FakeHostBackend;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationFixtures;
import io.lethe.engine.OperationType;
import io.lethe.engine.StepHandler;
import io.lethe.engine.StepHandler.StepContext;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.region.RegionService;
import io.lethe.region.RegionView;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One host for a step's test: its rows written with plain SQL (a device, optionally in a region of
 * its own), read back through the services as the engine reads them, a {@link FakeHostBackend} in
 * the step's context, and the step's effects applied as the engine applies them: in a transaction
 * of their own, through the operation's {@code StepRecords}.
 */
final class StepWorld {

    final FakeHostBackend backend = new FakeHostBackend();
    final JdbcTemplate jdbc;
    final UUID hostId = UUID.randomUUID();
    final UUID deviceId = UUID.randomUUID();
    final String serial = "STEP-" + deviceId.toString().substring(0, 8);
    UUID regionId;

    private final HostService hosts;
    private final DeviceService devices;
    private final RegionService regions;
    private final TransactionTemplate tx;

    StepWorld(ApplicationContext context, boolean hostCanInvalidate) {
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.hosts = context.getBean(HostService.class);
        this.devices = context.getBean(DeviceService.class);
        this.regions = context.getBean(RegionService.class);
        this.tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(
                "insert into hosts (id, name, backend_type, cache_invalidation, created_at, updated_at)"
                        + " values (?, ?, 'simulated-x86', ?, ?, ?)",
                hostId,
                "step-host-" + hostId,
                hostCanInvalidate ? "supported" : "unsupported",
                now,
                now);
        jdbc.update(
                "insert into devices (id, host_id, kind, serial, manufacturer, model, capacity_bytes,"
                        + " security_state, status, created_at, updated_at) values (?, ?, 'cxl-memdev', ?,"
                        + " 'Acme', 'AM-1', 68719476736, 'disabled', 'available', ?, ?)",
                deviceId,
                hostId,
                serial,
                now,
                now);
    }

    /** Puts the device in a region of its own, decoding ({@code attached}) or not. */
    StepWorld inRegion(boolean attached) {
        regionId = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(
                "insert into regions (id, host_id, name, base_address, size_bytes, interleave_ways,"
                        + " state, created_at, updated_at) values (?, ?, ?, 4294967296, 268435456, 1, ?, ?, ?)",
                regionId,
                hostId,
                "region-" + regionId.toString().substring(0, 8),
                attached ? "attached" : "detached",
                now,
                now);
        jdbc.update(
                "insert into region_members (region_id, device_id, position) values (?, ?, 0)",
                regionId,
                deviceId);
        return this;
    }

    HostView host() {
        return hosts.get(hostId);
    }

    DeviceView device() {
        return devices.get(deviceId);
    }

    RegionView region() {
        return regionId == null ? null : regions.get(regionId);
    }

    Operation operation(OperationType type, EraseMethod method) {
        return OperationFixtures.operation(type, device(), region(), method);
    }

    StepContext context(Operation op, StepName step, Instant startedAt) {
        return OperationFixtures.context(op, step, host(), device(), region(), backend, startedAt);
    }

    StepContext context(Operation op, StepName step) {
        return context(op, step, Instant.now());
    }

    /** Runs the step for the operation alone, as the engine runs a unit of one. */
    StepResult run(StepHandler step, Operation op, StepName name) {
        StepContext context = context(op, name);
        return step.runAll(List.of(context)).get(context.operationId());
    }

    /** Applies what the step asked to record, as the engine does with its result. */
    void record(StepResult result, Operation op) {
        StepHandler.Effects effects =
                result instanceof StepResult.Done done
                        ? done.effects()
                        : result instanceof StepResult.Fail fail ? fail.effects() : StepResult.NONE;
        tx.executeWithoutResult(s -> effects.apply(OperationFixtures.records(op)));
    }

    String deviceColumn(String column) {
        return jdbc.queryForObject(
                "select " + column + " from devices where id = ?", String.class, deviceId);
    }

    String regionState() {
        return jdbc.queryForObject(
                "select state from regions where id = ?", String.class, regionId);
    }
}
