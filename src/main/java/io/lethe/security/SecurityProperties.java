package io.lethe.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access control settings.
 *
 * @param bootstrapToken the first admin token's secret ({@code LETHE_BOOTSTRAP_TOKEN}); when empty
 *     and no token exists, one is generated and written to {@code bootstrapTokenFile}
 * @param bootstrapTokenFile where a generated first admin token is written, owner-only
 * @param metricsPublic whether {@code /actuator/prometheus} answers without a token
 * @param corsOrigins origins allowed to call the API from a browser; none by default
 * @param authFailuresPerMinute failed authentications one client address may make per minute before
 *     it is answered 429
 * @param unlockAttemptsPerHour unlock requests per device, and per token, per hour
 * @param maxRequestBytes the largest request body accepted
 */
@ConfigurationProperties("lethe.security")
public record SecurityProperties(
        String bootstrapToken,
        String bootstrapTokenFile,
        @DefaultValue("true") boolean metricsPublic,
        @DefaultValue List<String> corsOrigins,
        @DefaultValue("20") int authFailuresPerMinute,
        @DefaultValue("10") int unlockAttemptsPerHour,
        @DefaultValue("65536") int maxRequestBytes) {

    @Override
    public String toString() {
        return "SecurityProperties[metricsPublic="
                + metricsPublic
                + ", corsOrigins="
                + corsOrigins
                + "]";
    }
}
