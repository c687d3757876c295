package io.lethe.certificate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An HTTP witness run by someone other than Lethe's operators: each checkpoint is POSTed to its URL
 * as JSON ({@code seq, hash, at, kid, jws}; any 2xx counts), and a GET of the same URL answers the
 * checkpoints it holds as {@code {"items": [...]}}. Calls time out after five seconds and follow no
 * redirect.
 */
final class WitnessCheckpointSink implements CheckpointSink {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final URI url;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();

    WitnessCheckpointSink(URI url) {
        this.url = url;
    }

    @Override
    public String name() {
        // the address without user information, which may carry a credential
        return "witness "
                + url.getScheme()
                + "://"
                + url.getHost()
                + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + url.getPath();
    }

    @Override
    public void deliver(AuditCheckpoints.Checkpoint checkpoint) throws IOException {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(url)
                                .timeout(TIMEOUT)
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                Jws.JSON.writeValueAsString(checkpoint)))
                                .build());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("the witness answered HTTP " + response.statusCode());
        }
    }

    @Override
    public List<AuditCheckpoints.Checkpoint> held() throws IOException {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build());
        if (response.statusCode() != 200) {
            throw new IOException("the witness answered HTTP " + response.statusCode());
        }
        List<AuditCheckpoints.Checkpoint> held = new ArrayList<>();
        try {
            for (JsonNode item : Jws.JSON.readTree(response.body()).path("items")) {
                held.add(FileCheckpointSink.of(item));
            }
        } catch (RuntimeException malformed) {
            throw new IOException("the witness's answer is not a list of checkpoints");
        }
        return held;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
