package io.lethe.certificate;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ed25519 keys in the encodings the certificates and their verifiers need (the JDK's), and
 * signatures (Bouncy Castle's arithmetic for speed; verification stays the JDK's).
 */
final class Ed25519 {

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
    private static final int SPKI_PREFIX = 12;

    private Ed25519() {}

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The key pair of a PKCS#8 private key. The JDK cannot derive an Ed25519 public key directly,
     * but its generator takes the 32-byte seed from the random source it is given: given the seed,
     * it regenerates exactly this pair.
     */
    static KeyPair fromPkcs8(byte[] der) {
        byte[] seed = Arrays.copyOfRange(der, der.length - 32, der.length);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(
                    255,
                    new SecureRandom() {
                        @Override
                        public void nextBytes(byte[] bytes) {
                            System.arraycopy(
                                    seed, 0, bytes, 0, Math.min(bytes.length, seed.length));
                        }
                    });
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an Ed25519 PKCS#8 key", e);
        }
    }

    /**
     * Signs with RFC 8032's pure Ed25519. A signature is a function of the key and the data alone,
     * so Bouncy Castle's arithmetic, about ten times faster than the JDK 17 provider's, gives the
     * bytes the JDK would ({@code Ed25519Test} holds the two and RFC 8032's vectors against each
     * other); a key that does not reveal its seed is signed by the JDK.
     */
    static byte[] sign(PrivateKey key, byte[] data) {
        byte[] seed = key instanceof EdECPrivateKey edec ? edec.getBytes().orElse(null) : null;
        if (seed != null) {
            byte[] signature = new byte[org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE];
            org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
                    seed, 0, data, 0, data.length, signature, 0);
            Arrays.fill(seed, (byte) 0);
            return signature;
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verify(PublicKey key, byte[] data, byte[] sig) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
    }

    /** RFC 8037 JWK of the public key. */
    static Map<String, String> jwk(PublicKey key, String kid) {
        byte[] raw = Arrays.copyOfRange(key.getEncoded(), SPKI_PREFIX, key.getEncoded().length);
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        jwk.put("kid", kid);
        jwk.put("use", "sig");
        jwk.put("alg", "EdDSA");
        return jwk;
    }

    /** A short stable key id: the first 16 base64url characters of SHA-256 over the public key. */
    static String kid(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
