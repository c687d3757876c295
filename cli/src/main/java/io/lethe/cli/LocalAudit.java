package io.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lethe.client.ApiClient;
import io.lethe.client.api.AuditApi;
import io.lethe.client.model.AuditCheckpoint;
import io.lethe.client.model.AuditCheckpoints;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pipeline's side of the audit: it saves the signed checkpoints it has seen in a file of its
 * own, and later holds the server's export against them with keys pinned outside the server.
 */
final class LocalAudit {

    private static final int PAGE = 1_000;
    private final Server server;
    private final PrintStream out;
    private final PrintStream err;

    LocalAudit(Server server, PrintStream out, PrintStream err) {
        this.server = server;
        this.out = out;
        this.err = err;
    }

    /** Appends the checkpoints after the file's newest; answers how many. */
    int save(Path file) {
        long after = 0;
        for (String jws : saved(file)) {
            after = Math.max(after, seqOf(jws));
        }
        AuditApi audit = new AuditApi(server.client());
        int added = 0;
        while (true) {
            long from = after;
            AuditCheckpoints page = server.call(() -> audit.listAuditCheckpoints(from, PAGE));
            if (page.getItems() == null || page.getItems().isEmpty()) {
                return added;
            }
            StringBuilder lines = new StringBuilder();
            for (AuditCheckpoint c : page.getItems()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("seq", c.getSeq());
                line.put("hash", c.getHash());
                line.put("at", c.getAt() == null ? null : c.getAt().toInstant().toString());
                line.put("kid", c.getKid());
                line.put("jws", c.getJws());
                lines.append(write(line)).append('\n');
                after = Math.max(after, c.getSeq());
                added++;
            }
            try {
                Files.writeString(
                        file,
                        lines,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new Failures.Invalid("cannot append to " + file + ": " + e.getMessage());
            }
            if (page.getItems().size() < PAGE) {
                return added;
            }
        }
    }

    /** Exit 0 when the export holds against every saved checkpoint; 1 when not. */
    int verify(Path checkpointsFile, Path trustedKeysFile) {
        String pins;
        try {
            pins = Files.readString(trustedKeysFile);
        } catch (IOException e) {
            throw new Failures.Invalid("cannot read " + trustedKeysFile + ": " + e.getMessage());
        }
        List<String> saved = saved(checkpointsFile);
        JsonNode published =
                ChainCheck.read(get("/api/v1/certificates/signing-key", "application/json"));
        String export = get("/api/v1/audit/export", "application/x-ndjson");
        try {
            ChainCheck check = new ChainCheck(pins, published);
            TreeMap<Long, String> anchors = check.checkpoints(saved, "saved");
            List<String> served = new ArrayList<>();
            ChainCheck.read(get("/api/v1/audit/checkpoints?limit=" + PAGE, "application/json"))
                    .path("items")
                    .forEach(c -> served.add(c.path("jws").asText()));
            check.checkpoints(served, "the server's");
            long records = check.walk(export, anchors);
            out.println(
                    "intact: "
                            + records
                            + " records; "
                            + anchors.size()
                            + " saved checkpoint(s) passed; trust: pinned ("
                            + check.trustedKeys()
                            + " key(s))");
            return Exit.SUCCEEDED;
        } catch (ChainCheck.Broken broken) {
            out.println("broken: " + broken.getMessage());
            err.println("lethe: the audit chain does not hold against your checkpoints and keys");
            return Exit.FAILED;
        }
    }

    /** The JWS of each checkpoint in a saved file: JSON Lines, or the API's {"items": [...]}. */
    private static List<String> saved(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jws = new ArrayList<>();
        if (text.strip().startsWith("{\"items\"")) {
            ChainCheck.read(text).path("items").forEach(c -> jws.add(c.path("jws").asText()));
            return jws;
        }
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                jws.add(ChainCheck.read(line).path("jws").asText());
            }
        }
        return jws;
    }

    private static long seqOf(String jws) {
        try {
            return ChainCheck.read(
                            new String(
                                    java.util.Base64.getUrlDecoder().decode(jws.split("\\.")[1]),
                                    StandardCharsets.UTF_8))
                    .path("seq")
                    .asLong();
        } catch (RuntimeException malformed) {
            return 0;
        }
    }

    private String get(String path, String accept) {
        ApiClient client = server.client();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(client.getBaseUri() + path))
                        .header("Accept", accept)
                        .GET();
        if (client.getRequestInterceptor() != null) {
            client.getRequestInterceptor().accept(request);
        }
        try {
            HttpResponse<String> response =
                    client.getHttpClient()
                            .send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new Failures.Refused(
                        "GET " + path + " answered " + response.statusCode(), null);
            }
            return response.body();
        } catch (IOException e) {
            throw new Failures.Unreachable("cannot reach the server: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failures.Unreachable("interrupted");
        }
    }

    private static String write(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
