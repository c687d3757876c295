package io.lethe.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Lethe's Ed25519 signatures (Bouncy Castle's arithmetic) against two oracles it did not write: the
 * test vectors of RFC 8032 (section 7.1) and the JDK's own provider, which must give the same bytes
 * for any key and data, since pure Ed25519 signatures are deterministic.
 */
class Ed25519Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void signsRfc8032sTestVectors() throws Exception {
        String[][] vectors = {
            {
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            },
            {
                "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
            },
            {
                "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
            }
        };
        for (String[] v : vectors) {
            PrivateKey key = privateKey(HEX.parseHex(v[0]));
            assertThat(HEX.formatHex(Ed25519.sign(key, HEX.parseHex(v[1])))).isEqualTo(v[2]);
        }
    }

    @Property(tries = 200)
    void givesTheBytesTheJdkProviderGives(
            @ForAll @Size(32) byte[] seed, @ForAll @Size(max = 2048) byte[] data) throws Exception {
        PrivateKey key = privateKey(seed);
        byte[] signed = Ed25519.sign(key, data);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(key);
        jdk.update(data);
        assertThat(signed).isEqualTo(jdk.sign());
        // the key is left as it was: signing again gives the same signature
        assertThat(Ed25519.sign(key, data)).isEqualTo(signed);
    }

    @Test
    void whatItSignsTheJdkVerifiesAndAChangedByteFails() {
        KeyPair pair = Ed25519.generate();
        byte[] data = new byte[700];
        new Random(7).nextBytes(data);
        byte[] signature = Ed25519.sign(pair.getPrivate(), data);
        assertThat(Ed25519.verify(pair.getPublic(), data, signature)).isTrue();
        data[350] ^= 1;
        assertThat(Ed25519.verify(pair.getPublic(), data, signature)).isFalse();
    }

    private static PrivateKey privateKey(byte[] seed) throws Exception {
        return KeyFactory.getInstance("Ed25519")
                .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    }
}
