package io.lethe.backend.simulated;

import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * For measurements: the simulated hardware's own connections, seen through a wrapper of the
 * caller's (the fleet benchmark counts their commits beside the service's).
 */
public final class HardwareStoreConnections {

    private HardwareStoreConnections() {}

    /** Replaces the store's connections with {@code wrap} of them, before anyone is handed it. */
    public static BeanPostProcessor wrappedBy(UnaryOperator<DataSource> wrap) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof SimulatedHardwareStore store
                        ? new SimulatedHardwareStore(wrap.apply(store.dataSource()))
                        : bean;
            }
        };
    }
}
