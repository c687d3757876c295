package io.lethe.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.common.Ids;
import io.lethe.support.Api;
import io.lethe.support.Publishing;
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

    Publishing ends() {
        return new Publishing(events, transactions);
    }

    @BeforeEach
    void heldDevice() {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "hold-" + UUID.randomUUID());
        device = UUID.fromString(TestInventory.device(api, host, "HOLD-" + UUID.randomUUID()));
        devices.hold(device, holder);
    }

    @Test
    void theHoldersEndReleasesTheDeviceToTheStatusItLeaves() {
        ends().committed(new Ended(device, holder, DeviceStatus.QUARANTINED));
        DeviceView after = devices.get(device);
        assertThat(after.status()).isEqualTo(DeviceStatus.QUARANTINED);
        assertThat(after.operationId()).isNull();
    }

    @Test
    void anotherHoldersEndLeavesTheDeviceHeld() {
        ends().committed(new Ended(device, Ids.newId(), DeviceStatus.AVAILABLE));
        DeviceView after = devices.get(device);
        assertThat(after.status()).isEqualTo(DeviceStatus.BUSY);
        assertThat(after.operationId()).isEqualTo(holder);
    }

    @Test
    void anEndRolledBackReleasesNothing() {
        ends().rolledBack(new Ended(device, holder, DeviceStatus.AVAILABLE));
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
}
