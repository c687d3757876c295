package io.lethe.backend.simulated;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether hosts may be registered with the simulated x86 backend.
 *
 * @param enabled on by default for trying Lethe out; production turns it off, since a simulated
 *     host's certificates record no real erase
 */
@ConfigurationProperties("lethe.backends.simulated")
record SimulatedBackendProperties(@DefaultValue("true") boolean enabled) {}
