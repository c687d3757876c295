package io.lethe.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the key that encrypts secrets at rest comes from.
 *
 * @param key base64 of a 32-byte AES key; when set, it is used and no key file is read
 * @param keyFile file holding the generated key when {@code key} is not set; created owner-only on
 *     first start
 * @param previousKeys base64 keys used before, comma-separated: still decrypt, never encrypt; kept
 *     only until {@code POST /api/v1/admin/secrets/re-encryption} has run
 */
@ConfigurationProperties("lethe.secrets")
public record SecretsProperties(String key, String keyFile, String previousKeys) {

    @Override
    public String toString() {
        return "SecretsProperties[keyFile=" + keyFile + "]";
    }
}
