package io.lethe.backend.hostagent;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the orchestrator talks to host agents ({@code lethe.host-agent.*}).
 *
 * @param connectTimeout how long a connection may take
 * @param readTimeout how long an answer may take
 * @param retries extra attempts of an idempotent call after a transient failure
 * @param retryBackoff the first wait between attempts; it doubles
 * @param trustStore optional trust store (PKCS12 or JKS) for agents that serve TLS with a private
 *     CA
 * @param trustStorePassword its password
 */
@ConfigurationProperties("lethe.host-agent")
public record HostAgentProperties(
        Duration connectTimeout,
        Duration readTimeout,
        Integer retries,
        Duration retryBackoff,
        Path trustStore,
        String trustStorePassword) {

    public HostAgentProperties {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
        retries = retries == null ? 2 : retries;
        retryBackoff = retryBackoff == null ? Duration.ofMillis(200) : retryBackoff;
    }

    @Override
    public String toString() {
        return "HostAgentProperties[connectTimeout="
                + connectTimeout
                + ", readTimeout="
                + readTimeout
                + ", retries="
                + retries
                + ", trustStore="
                + trustStore
                + "]";
    }
}
