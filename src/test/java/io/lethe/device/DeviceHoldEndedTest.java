package io.lethe.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.common.Ids;
import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The device module releases a device when its holder's end is published, as a listener in the
 * holder's transaction (issue #37, item 4): with the end, or not at all. The event is published
 * here as any holder would; the device's row is read back through the module's own service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeviceHoldEndedTest {

    @LocalServerPort int port;
    @Autowired DeviceService devices;
    @Autowired ApplicationEventPublisher events;
    @Autowired PlatformTransactionManager transactions;

    UUID device;
    final UUID holder = Ids.newId();

    record Ended(UUID deviceId, UUID holder, DeviceStatus deviceLeft) implements DeviceHoldEnded {}

    @BeforeEach
    void heldDevice() {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "hold-" + UUID.randomUUID());
        device = UUID.fromString(TestInventory.device(api, host, "HOLD-" + UUID.randomUUID()));
        devices.hold(device, holder);
    }

    @Test
    void theHoldersEndReleasesTheDeviceToTheStatusItLeaves() {
        endInATransaction(new Ended(device, holder, DeviceStatus.QUARANTINED), false);
        DeviceView after = devices.get(device);
        assertThat(after.status()).isEqualTo(DeviceStatus.QUARANTINED);
        assertThat(after.operationId()).isNull();
    }

    @Test
    void anotherHoldersEndLeavesTheDeviceHeld() {
        endInATransaction(new Ended(device, Ids.newId(), DeviceStatus.AVAILABLE), false);
        DeviceView after = devices.get(device);
        assertThat(after.status()).isEqualTo(DeviceStatus.BUSY);
        assertThat(after.operationId()).isEqualTo(holder);
    }

    @Test
    void anEndRolledBackReleasesNothing() {
        endInATransaction(new Ended(device, holder, DeviceStatus.AVAILABLE), true);
        assertThat(devices.get(device).operationId()).isEqualTo(holder);
    }

    @Test
    void anEndOutsideATransactionIsRefused() {
        assertThatThrownBy(
                        () ->
                                events.publishEvent(
                                        new Ended(device, holder, DeviceStatus.AVAILABLE)))
                .isInstanceOf(IllegalTransactionStateException.class);
        assertThat(devices.get(device).operationId()).isEqualTo(holder);
    }

    private void endInATransaction(DeviceHoldEnded ended, boolean rollBack) {
        new TransactionTemplate(transactions)
                .executeWithoutResult(
                        s -> {
                            events.publishEvent(ended);
                            if (rollBack) {
                                s.setRollbackOnly();
                            }
                        });
    }
}
