package io.lethe.backend.simulated;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the simulated hardware keeps its machines: a database of its own, never Lethe's schema.
 * Left blank, the location follows the service's database ({@link HardwareStoreLocation}): on H2 a
 * file beside Lethe's, on PostgreSQL a schema beside Lethe's in the same database.
 *
 * @param url a JDBC URL of the store's own; blank: derived from {@code spring.datasource.url}
 * @param username blank: the service database's user
 * @param password blank: the service database's password
 * @param schema on PostgreSQL, the store's schema; blank: Lethe's schema name with {@code
 *     _simulated} appended ({@code lethe_simulated} when Lethe uses the default one)
 * @param maxConnections the most connections of the store's own pool (one per host being acted on
 *     at once; opened on demand, closed when idle)
 */
@ConfigurationProperties("lethe.simulated-hardware")
record SimulatedHardwareProperties(
        String url,
        String username,
        String password,
        String schema,
        @DefaultValue("8") int maxConnections) {}
