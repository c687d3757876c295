package io.lethe.certificate;

import io.lethe.support.Api;
import io.lethe.support.LetheCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What a pipeline runs against the audit chain: the CLI's check and the offline script. */
final class PipelineChecks {

    private PipelineChecks() {}

    /**
     * The service signs with a key openssl made, and trusts its public half, written by openssl to
     * {@code pins}: an oracle that is not Lethe's own code.
     */
    static void signWithAPinnedKey(DynamicPropertyRegistry registry, Path dir, Path pins)
            throws Exception {
        Path key = dir.resolve("signing.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        run("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pins.toString());
        registry.add("lethe.certificates.signing-key-file", key::toString);
        registry.add("lethe.certificates.trusted-keys", pins::toString);
    }

    /** {@code lethe audit verify --checkpoints SAVED --trusted-keys PINS}. */
    static LetheCli.Run verify(LetheCli cli, Path saved, Path pins) throws Exception {
        return cli.run(
                "audit",
                "verify",
                "--checkpoints",
                saved.toString(),
                "--trusted-keys",
                pins.toString());
    }

    /** The chain as {@code GET /api/v1/audit/export} gives it, in {@code dir/export.jsonl}. */
    static Path export(Api api, Path dir) throws Exception {
        return Files.writeString(
                dir.resolve("export.jsonl"),
                api.get("/api/v1/audit/export", Map.of("Accept", "application/x-ndjson")).body());
    }

    /** The published keys with their endorsements, in {@code dir/keys.json}. */
    static Path publishedKeys(Api api, Path dir) throws Exception {
        return Files.writeString(
                dir.resolve("keys.json"), api.get("/api/v1/certificates/signing-key").body());
    }

    /** {@code python3 docs/verify-audit-export.py EXPORT ARGS...}, its output. */
    static String offline(Path export, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of("python3", "docs/verify-audit-export.py", export.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** A temporary directory for a test class's files. */
    static Path temp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A command's output, standard error included. */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
