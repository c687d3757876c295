package io.lethe.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.common.Ids;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** The device mapping against the schema Flyway builds (Hibernate validates it on start). */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@TestPropertySource(properties = "spring.jpa.hibernate.ddl-auto=validate")
class DeviceRepositoryJpaTest {

    @Autowired DeviceRepository devices;
    @Autowired JdbcTemplate jdbc;
    UUID hostId;

    @BeforeEach
    void host() {
        hostId = Ids.newId();
        jdbc.update(
                "insert into hosts (id, name, backend_type, cache_invalidation, created_at, updated_at) "
                        + "values (?, ?, 'simulated-x86', 'supported', current_timestamp, current_timestamp)",
                hostId,
                "h-" + hostId);
    }

    @Test
    void theDatabaseRefusesASecondDeviceWithTheSameKindAndSerial() {
        devices.saveAndFlush(device("SER-1", DeviceKind.NVDIMM));
        devices.saveAndFlush(device("SER-1", DeviceKind.CXL_MEMDEV));
        assertThatThrownBy(() -> devices.saveAndFlush(device("SER-1", DeviceKind.NVDIMM)))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void keysetQueryReturnsRowsAfterTheCursorInIdOrder() {
        List<UUID> ids =
                List.of(
                        devices.save(device("K-1", DeviceKind.NVDIMM)).id(),
                        devices.save(device("K-2", DeviceKind.NVDIMM)).id(),
                        devices.save(device("K-3", DeviceKind.NVDIMM)).id());
        devices.flush();
        Specification<Device> afterFirst =
                (root, q, cb) ->
                        cb.and(
                                cb.greaterThan(root.get("id"), ids.get(0)),
                                cb.equal(root.get("hostId"), hostId));
        List<Device> page = devices.findBy(afterFirst, q -> q.sortBy(Sort.by("id")).limit(2).all());
        assertThat(page).extracting(Device::id).containsExactly(ids.get(1), ids.get(2));
    }

    private Device device(String serial, DeviceKind kind) {
        return new Device(
                Ids.newId(),
                hostId,
                new RegisterDeviceRequest(
                        serial,
                        kind,
                        "Acme",
                        "M",
                        "1.0",
                        1024L,
                        SecurityState.DISABLED,
                        null,
                        null),
                Instant.now());
    }
}
