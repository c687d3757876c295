package io.lethe.backend.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.device.SecurityState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A session on a simulated host ends with exactly one commit of what it changed, also when a call
 * in it throws (the hardware did what it did), and rolls nothing back after committing: on an
 * embedded H2 that writes its store at every transaction end, a rollback after the commit is a
 * second store write for nothing.
 */
class MachineStoreSessionTest {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private MachineStore store;
    private UUID host;

    @BeforeEach
    void database() {
        DriverManagerDataSource real =
                new DriverManagerDataSource(
                        "jdbc:h2:mem:session-"
                                + UUID.randomUUID()
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                        "sa",
                        "");
        Flyway.configure().dataSource(real).locations("classpath:db/simulated").load().migrate();
        host = UUID.randomUUID();
        store = new MachineStore(new SimulatedHardwareStore(counting(real)));
        calls.clear();
    }

    @Test
    void aSessionCommitsWhatItChangedOnceAndRollsNothingBack() {
        UUID device = UUID.randomUUID();
        store.together(
                host,
                () -> {
                    store.change(host, m -> addDevice(m, device));
                    return store.change(host, m -> m.invalidations++);
                });

        assertThat(count("commit")).isEqualTo(1);
        assertThat(count("rollback")).isZero();
        boolean kept = store.read(host, m -> m.devices.containsKey(device.toString()));
        assertThat(kept).isTrue();
        long invalidations = store.read(host, m -> m.invalidations);
        assertThat(invalidations).isEqualTo(1L);
    }

    @Test
    void aSessionWhoseCallThrowsStillCommitsWhatTheHardwareDid() {
        UUID device = UUID.randomUUID();
        assertThatThrownBy(
                        () ->
                                store.together(
                                        host,
                                        () -> {
                                            store.change(host, m -> addDevice(m, device));
                                            throw new IllegalStateException("the call failed");
                                        }))
                .hasMessage("the call failed");

        assertThat(count("commit")).isEqualTo(1);
        assertThat(count("rollback")).isZero();
        boolean kept = store.read(host, m -> m.devices.containsKey(device.toString()));
        assertThat(kept).isTrue();
    }

    private static Object addDevice(SimulatedMachine machine, UUID device) {
        machine.addDevice(device, "cxl-memdev", SecurityState.DISABLED, null, null);
        return null;
    }

    private int count(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** The data source, its connections counting their commits and rollbacks. */
    private DataSource counting(DataSource real) {
        return (DataSource)
                Proxy.newProxyInstance(
                        getClass().getClassLoader(),
                        new Class<?>[] {DataSource.class},
                        (proxy, method, args) -> {
                            Object result = invoke(real, method, args);
                            if (result instanceof Connection connection) {
                                return Proxy.newProxyInstance(
                                        getClass().getClassLoader(),
                                        new Class<?>[] {Connection.class},
                                        (p, m, a) -> {
                                            calls.computeIfAbsent(
                                                            m.getName(), k -> new AtomicInteger())
                                                    .incrementAndGet();
                                            return invoke(connection, m, a);
                                        });
                            }
                            return result;
                        });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
