package io.lethe.backend.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.device.DeviceKind;
import io.lethe.device.DeviceRegistered;
import io.lethe.device.SecurityState;
import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The simulated hardware lives apart from Lethe, as real hardware does: its machines are in a
 * database of their own (Lethe's has no table of theirs), and a change of the hardware is not part
 * of Lethe's transaction, so Lethe's rollback does not undo it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SimulatedHardwareStoreTest {

    @LocalServerPort int port;
    @Autowired JdbcTemplate lethe;
    @Autowired SimulatedHardwareStore store;
    @Autowired TransactionTemplate transactions;
    @Autowired ApplicationEventPublisher events;

    @Test
    void aRegisteredDeviceIsInTheHardwaresDatabaseAndNotInLethes() {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "own-store-" + UUID.randomUUID());
        String device = TestInventory.device(api, host, "OWN-" + UUID.randomUUID());

        JdbcTemplate hardware = new JdbcTemplate(store.dataSource());
        assertThat(
                        hardware.queryForObject(
                                "select count(*) from sim_devices where device_id = ? and host_id = ?",
                                Long.class,
                                UUID.fromString(device),
                                UUID.fromString(host)))
                .isEqualTo(1);
        assertThat(
                        lethe.queryForObject(
                                "select count(*) from information_schema.tables where lower(table_name) like 'sim\\_%'",
                                Long.class))
                .isZero();
    }

    @Test
    void lethesRollbackDoesNotUndoWhatTheHardwareDid() {
        Api api = new Api(port);
        UUID host =
                UUID.fromString(TestInventory.simulatedHost(api, "rollback-" + UUID.randomUUID()));
        UUID device = UUID.randomUUID();

        transactions.executeWithoutResult(
                tx -> {
                    events.publishEvent(
                            new DeviceRegistered(
                                    device,
                                    host,
                                    DeviceKind.CXL_MEMDEV,
                                    SecurityState.DISABLED,
                                    null,
                                    null));
                    tx.setRollbackOnly();
                });

        boolean present =
                new MachineStore(store).read(host, m -> m.devices.containsKey(device.toString()));
        assertThat(present).as("the hardware kept the device Lethe's rollback forgot").isTrue();
    }
}
