package io.lethe.backend.hostagent;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lethe.backend.BackendException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP to one agent: timeouts, retries with backoff for idempotent calls only, and the agent's
 * problem details turned into {@link BackendException}s that keep the agent's reason. The token
 * goes in the Authorization header and nowhere else.
 */
@Component
class AgentClient {

    /** Whether repeating a call is harmless: then transient failures are retried. */
    enum Call {
        IDEMPOTENT,
        ONCE
    }

    private static final String UNREACHABLE = " is unreachable (connection refused)";
    private static final JsonMapper JSON =
            JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final HostAgentProperties properties;
    private final HttpClient http;
    private final AgentAddresses addresses;
    private final RetryConfig retryConfig;

    AgentClient(HostAgentProperties properties, AgentAddresses addresses) {
        this.properties = properties;
        this.addresses = addresses;
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .connectTimeout(properties.connectTimeout())
                        // A redirect would carry the token's request to an address no check saw.
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1);
        if (properties.trustStore() != null) {
            builder.sslContext(sslContext(properties));
        }
        this.http = builder.build();
        this.retryConfig =
                RetryConfig.custom()
                        .maxAttempts(properties.retries() + 1)
                        .intervalFunction(
                                IntervalFunction.ofExponentialBackoff(properties.retryBackoff(), 2))
                        .retryOnException(e -> e instanceof BackendException b && b.retryable())
                        .build();
    }

    <T> T call(Target target, String method, String path, Object body, Class<T> answer, Call call) {
        if (call == Call.ONCE) {
            try {
                return once(target, method, path, body, answer);
            } catch (BackendException.Transient | BackendException.TimedOut unclear) {
                if (unclear.getMessage().contains(UNREACHABLE)) {
                    throw unclear; // the request never reached the agent: asking again is safe
                }
                // It may have reached the device: the step must not repeat it (an unlock may have
                // cost an attempt).
                throw new BackendException(
                        unclear.getMessage() + "; the outcome is unknown, so it is not repeated",
                        false);
            }
        }
        Retry retry = Retry.of("agent " + target.url(), retryConfig);
        return retry.executeSupplier(() -> once(target, method, path, body, answer));
    }

    private <T> T once(Target target, String method, String path, Object body, Class<T> answer) {
        // The target policy again, against what the agent's name resolves to now.
        String refusal;
        try {
            refusal = addresses.refusal(target.url());
        } catch (UnknownHostException e) {
            throw new BackendException.Transient(
                    "the agent at " + target.url() + " does not resolve now");
        }
        if (refusal != null) {
            throw new BackendException.Refused(
                    "Lethe does not call the agent at " + target.url() + ": it " + refusal);
        }
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(target.url().replaceAll("/+$", "") + path))
                        .timeout(properties.readTimeout())
                        .header("Authorization", "Bearer " + target.token())
                        .header("Accept", "application/json")
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(
                                                JSON.writeValueAsBytes(body)))
                        .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new BackendException.TimedOut(
                    "the agent at "
                            + target.url()
                            + " did not answer within "
                            + properties.readTimeout());
        } catch (ConnectException e) {
            throw new BackendException.Transient("the agent at " + target.url() + UNREACHABLE);
        } catch (IOException e) {
            throw new BackendException.Transient(
                    "I/O error talking to the agent at "
                            + target.url()
                            + ": "
                            + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException.TimedOut(
                    "interrupted while waiting for the agent at " + target.url());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (answer == Void.class || response.body().length == 0) {
                return null;
            }
            try {
                return JSON.readValue(response.body(), answer);
            } catch (RuntimeException e) {
                throw new BackendException.Transient(
                        "the agent at " + target.url() + " answered a body Lethe cannot read");
            }
        }
        throw failure(target, status, response.body());
    }

    /**
     * What an agent's failure becomes. Nothing of the answer's text is passed on: the URL may point
     * somewhere other than an agent, so only the status, a slug-shaped {@code code} and an
     * errno-shaped {@code errno} are read, and each reason below is fixed text.
     */
    private static BackendException failure(Target target, int status, byte[] body) {
        JsonNode problem = null;
        try {
            problem = body.length == 0 ? null : JSON.readTree(body);
        } catch (RuntimeException unreadable) {
            // not a problem document: the status speaks alone
        }
        String code = field(problem, "code", "[a-z][a-z0-9-]{0,47}");
        String errno = field(problem, "errno", "[A-Z][A-Z0-9]{0,15}");
        String from =
                " (status "
                        + status
                        + (code.isEmpty() ? "" : ", code " + code)
                        + (errno.isEmpty() ? "" : ", errno " + errno)
                        + ")";
        if (status == 401) {
            return new BackendException.Refused(
                    "the agent at " + target.url() + " refused Lethe's token (401)");
        }
        if (status >= 500) {
            return new BackendException.Transient(
                    "the agent at " + target.url() + " failed" + from);
        }
        return switch (code) {
            case "wrong-passphrase" ->
                    new BackendException.WrongPassphrase(problem.path("attemptsLeft").asInt(0));
            case "invalidation-unsupported" ->
                    new BackendException.InvalidationUnsupported(
                            "the host refuses the CPU cache invalidation" + from);
            case "key-unavailable" ->
                    new BackendException.KeyUnavailable(
                            "the host's kernel cannot load the key" + from);
            case "host-key-not-enabled" ->
                    new BackendException.KeyUnavailable(
                            "the host's own key is not enabled for this device in the agent's"
                                    + " configuration"
                                    + from);
            case "fenced" ->
                    new BackendException.Fenced(
                            "the host saw a later command of the region (a higher fencing token)"
                                    + from);
            case "no-cpu-view" ->
                    new BackendException.NoCpuView(
                            "the host has no CPU view of the region to read back" + from);
            default -> new BackendException.Refused("the agent refused the call" + from);
        };
    }

    private static String field(JsonNode problem, String name, String shape) {
        if (problem == null || !problem.path(name).isString()) {
            return "";
        }
        String value = problem.get(name).asString();
        return value.matches(shape) ? value : "";
    }

    private static SSLContext sslContext(HostAgentProperties properties) {
        try (InputStream in = Files.newInputStream(properties.trustStore())) {
            KeyStore store =
                    KeyStore.getInstance(
                            properties.trustStore().toString().endsWith(".jks") ? "JKS" : "PKCS12");
            char[] password =
                    properties.trustStorePassword() == null
                            ? null
                            : properties.trustStorePassword().toCharArray();
            store.load(in, password);
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read lethe.host-agent.trust-store " + properties.trustStore(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot use lethe.host-agent.trust-store " + properties.trustStore(), e);
        }
    }

    /** Where an agent is and its token. */
    record Target(String url, String token) {
        @Override
        public String toString() {
            return "Target[url=" + url + ", token=<redacted>]";
        }
    }
}
