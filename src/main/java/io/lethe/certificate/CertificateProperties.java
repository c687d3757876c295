package io.lethe.certificate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param signingKeyFile a PKCS#8 PEM Ed25519 private key to sign certificates with; imported once
 *     and made the active key. Empty: a key is generated at first start.
 */
@ConfigurationProperties("lethe.certificates")
public record CertificateProperties(String signingKeyFile) {}
