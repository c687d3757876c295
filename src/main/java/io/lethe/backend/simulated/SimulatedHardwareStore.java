package io.lethe.backend.simulated;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The simulated hardware's own database, apart from Lethe's as real hardware is: its own
 * connections, its own schema and migrations ({@code db/simulated}), its own transactions. Lethe's
 * transactions never include a hardware change, and a rollback of Lethe's never undoes one.
 *
 * <p>Opened at start while hosts may be registered as simulated ({@code
 * lethe.backends.simulated.enabled}, the default), else at first use: a production service that
 * turned simulation off creates no store for it.
 */
@Component
class SimulatedHardwareStore implements AutoCloseable {

    private final HardwareStoreLocation location;
    private final int maxConnections;
    private volatile DataSource dataSource;

    @Autowired
    SimulatedHardwareStore(
            SimulatedHardwareProperties properties,
            SimulatedBackendProperties backend,
            Environment environment) {
        this.location =
                HardwareStoreLocation.of(
                        properties,
                        environment.getProperty("spring.datasource.url"),
                        environment.getProperty("spring.datasource.username"),
                        environment.getProperty("spring.datasource.password"));
        this.maxConnections = properties.maxConnections();
        if (backend.enabled()) {
            dataSource();
        }
    }

    /** A store over connections someone else opened and migrates (tests). */
    SimulatedHardwareStore(DataSource migrated) {
        this.location = null;
        this.maxConnections = 0;
        this.dataSource = migrated;
    }

    /** The store's connections; the first call opens the pool and migrates the store's schema. */
    DataSource dataSource() {
        DataSource open = dataSource;
        if (open == null) {
            synchronized (this) {
                if (dataSource == null) {
                    dataSource = open();
                }
                open = dataSource;
            }
        }
        return open;
    }

    private HikariDataSource open() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("simulated-hardware");
        config.setJdbcUrl(location.url());
        config.setUsername(location.username());
        config.setPassword(location.password());
        config.setMaximumPoolSize(maxConnections);
        // Connections on demand, given back when idle: beside the service's own pool on the same
        // PostgreSQL server, a pool kept full would double every replica's idle connections.
        config.setMinimumIdle(1);
        config.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        if (location.schema() != null) {
            config.setSchema(location.schema());
        }
        HikariDataSource pool = new HikariDataSource(config);
        try {
            var flyway =
                    Flyway.configure()
                            .dataSource(pool)
                            .locations("classpath:db/simulated")
                            .failOnMissingLocations(true)
                            // as Lethe's own schema (security/RefuseANewerSchema): a store a newer
                            // version migrated is refused, not run on with tables it does not know
                            .ignoreMigrationPatterns(new String[0]);
            if (location.schema() != null) {
                flyway.schemas(location.schema()).createSchemas(true);
            }
            flyway.load().migrate();
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }
}
