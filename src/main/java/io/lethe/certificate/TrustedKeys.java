package io.lethe.certificate;

import io.lethe.common.LetheProblem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The keys that verification accepts. Without pinned keys ({@code lethe.certificates.trusted-keys}
 * empty) they are Lethe's own genuine keys ({@link SigningKeys#existing()}): trust is {@code
 * unpinned}. With pinned keys they are the pinned ones and every key a chain of endorsements leads
 * to from them; what the database says about keys adds nothing else.
 */
@Component
class TrustedKeys {

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----");
    private final CertificateProperties properties;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();

    TrustedKeys(CertificateProperties properties) {
        this.properties = properties;
    }

    /**
     * @param pinned whether the keys come from pins outside the database
     * @param keys the accepted keys by key id
     */
    record Trust(boolean pinned, Map<String, PublicKey> keys) {
        String wire() {
            return pinned ? "pinned" : "unpinned";
        }
    }

    boolean pinned() {
        return properties.trustedKeys() != null && !properties.trustedKeys().isBlank();
    }

    /** The accepted keys, given Lethe's published (genuine) keys and their endorsements. */
    Trust trust(List<SigningKeys.PublishedKey> published) {
        Map<String, PublicKey> accepted = new HashMap<>();
        if (!pinned()) {
            return new Trust(false, SigningKeys.byKid(published));
        }
        for (PublicKey pin : parse(read(properties.trustedKeys()))) {
            accepted.put(Ed25519.kid(pin), pin);
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (SigningKeys.PublishedKey key : published) {
                if (!accepted.containsKey(key.kid()) && KeyEndorsement.endorses(key, accepted)) {
                    accepted.put(key.kid(), Ed25519.publicKey(key.pem()));
                    grew = true;
                }
            }
        }
        return new Trust(true, accepted);
    }

    static List<PublicKey> parse(String text) {
        Matcher m = PEM.matcher(text);
        List<PublicKey> keys = new java.util.ArrayList<>();
        while (m.find()) {
            keys.add(Ed25519.publicKey(m.group()));
        }
        return keys;
    }

    private String read(String location) {
        try {
            String text;
            if (location.startsWith("https://") || location.startsWith("http://")) {
                HttpResponse<String> response =
                        http.send(
                                HttpRequest.newBuilder(URI.create(location))
                                        .timeout(Duration.ofSeconds(5))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new PinnedKeysUnreadable("HTTP " + response.statusCode());
                }
                text = response.body();
            } else {
                text = Files.readString(Path.of(location.replaceFirst("^file:", "")));
            }
            if (parse(text).isEmpty()) {
                throw new PinnedKeysUnreadable("it holds no PEM public key");
            }
            return text;
        } catch (IOException | IllegalArgumentException e) {
            throw new PinnedKeysUnreadable(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PinnedKeysUnreadable("interrupted");
        }
    }

    /**
     * Code {@code pinned-keys-unreadable}: verification refuses to answer rather than trust less.
     */
    static final class PinnedKeysUnreadable extends LetheProblem {
        PinnedKeysUnreadable(String why) {
            super(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Pinned keys unreadable",
                    "The pinned keys (lethe.certificates.trusted-keys) cannot be read ("
                            + why
                            + "); verification does not answer without them");
        }
    }
}
