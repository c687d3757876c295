package io.lethe.host;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which backends hosts may be registered with.
 *
 * @param simulated the simulated x86 backend: on by default for trying Lethe out; production turns
 *     it off, since a simulated host's certificates record no real erase
 */
@ConfigurationProperties("lethe.backends")
public record BackendsProperties(@DefaultValue Simulated simulated) {

    /**
     * @param enabled whether hosts may be registered with {@code "type": "simulated-x86"}
     */
    public record Simulated(@DefaultValue("true") boolean enabled) {}
}
