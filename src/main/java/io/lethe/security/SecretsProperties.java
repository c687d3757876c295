package io.lethe.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the key that encrypts secrets at rest comes from.
 *
 * @param key     base64 of a 32-byte AES key; when set, it is used and no key file is read
 * @param keyFile file holding the generated key when {@code key} is not set; created owner-only
 *                on first start
 */
@ConfigurationProperties("lethe.secrets")
public record SecretsProperties(String key, String keyFile) {
}
