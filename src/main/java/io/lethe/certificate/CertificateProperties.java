package io.lethe.certificate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param signingKeyFile a PKCS#8 PEM Ed25519 private key to sign certificates with; imported once
 *     and made the active key. Empty: a key is generated at first start.
 * @param trustedKeys where the operators keep the pinned public keys, outside the database: a file
 *     path or an http(s) URL of one or more PEM public keys. Keys endorsed by a pinned key (a
 *     rotation) are accepted through their endorsement chain. Empty: verification trusts Lethe's
 *     own keys and says {@code trust: unpinned}.
 */
@ConfigurationProperties("lethe.certificates")
public record CertificateProperties(String signingKeyFile, String trustedKeys) {}
