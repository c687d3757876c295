package io.lethe.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document is a contract, committed as {@code api/openapi.json}: the live {@code
 * /v3/api-docs} must equal it, Redocly (pinned in {@code api/package.json}) must lint it clean
 * under {@code api/redocly.yaml}, and a TypeScript client that openapi-generator (pinned in {@code
 * api/openapitools.json}) makes from it must pass {@code tsc --strict}. After an intended API
 * change, regenerate the file with {@code ./mvnw test -Dtest=OpenApiContractTest
 * -Dlethe.openapi.write=true} and review its diff.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractTest {

    static final Path COMMITTED = Path.of("api/openapi.json");
    static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @LocalServerPort int port;

    @Test
    void theLiveDocumentIsTheCommittedContract() throws IOException {
        JsonNode live = JSON.readTree(new Api(port).get("/v3/api-docs").body());
        if (Boolean.getBoolean("lethe.openapi.write")) {
            Files.writeString(COMMITTED, JSON.writeValueAsString(live) + "\n");
        }
        JsonNode committed = JSON.readTree(Files.readString(COMMITTED));
        assertThat(live)
                .as(
                        "the live /v3/api-docs differs from %s in %s; if the change is intended, regenerate it with"
                                + " -Dlethe.openapi.write=true",
                        COMMITTED, differences(committed, live))
                .isEqualTo(committed);
    }

    @Test
    void redoclyLintsTheContractWithoutErrorsOrWarnings() throws Exception {
        Path tools = tools();
        Run lint =
                run(
                        Path.of("."),
                        List.of(
                                tools.resolve("node_modules/.bin/redocly").toString(),
                                "lint",
                                "--config",
                                "api/redocly.yaml",
                                COMMITTED.toString()));
        assertThat(lint.exit()).as(lint.output()).isZero();
        assertThat(lint.output())
                .as(lint.output())
                .contains("Your API description is valid")
                .doesNotContain("You have");
    }

    @Test
    void aTypeScriptClientGeneratedFromTheContractTypeChecks() throws Exception {
        Path tools = tools();
        Files.copy(
                Path.of("api/openapitools.json"),
                tools.resolve("openapitools.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                Path.of("api/tsconfig.client.json"),
                tools.resolve("tsconfig.client.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Path client = tools.resolve("ts-client");
        if (Files.exists(client)) {
            try (var walk = Files.walk(client)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        // The generator validates the document as it reads it: no --skip-validate-spec.
        // The cli reads its pinned generator version from the file named here (by default it looks
        // in $PWD).
        Run generate =
                run(
                        tools,
                        List.of(
                                "node_modules/.bin/openapi-generator-cli",
                                "--openapitools",
                                tools.resolve("openapitools.json").toAbsolutePath().toString(),
                                "generate",
                                "-i",
                                COMMITTED.toAbsolutePath().toString(),
                                "-g",
                                "typescript-fetch",
                                "-o",
                                "ts-client"));
        assertThat(generate.exit()).as(generate.output()).isZero();
        String pinned =
                Api.JSON
                        .readTree(Files.readString(Path.of("api/openapitools.json")))
                        .at("/generator-cli/version")
                        .asString();
        assertThat(client.resolve(".openapi-generator/VERSION"))
                .as("the pinned generator ran")
                .content()
                .isEqualToIgnoringWhitespace(pinned);
        assertThat(client.resolve("apis/DevicesApi.ts")).exists();
        Run tsc = run(tools, List.of("node_modules/.bin/tsc", "-p", "tsconfig.client.json"));
        assertThat(tsc.exit())
                .as("tsc --strict on the generated client:%n%s", tsc.output())
                .isZero();
        assertThat(tsc.output()).doesNotContain("error TS");
    }

    /** The pinned npm tools of api/package.json, installed once per build under target/. */
    private static synchronized Path tools() throws Exception {
        Tools.require("npm");
        Path tools = Path.of("target/api-tools");
        Files.createDirectories(tools);
        boolean changed = false;
        for (String file : List.of("package.json", "package-lock.json")) {
            Path target = tools.resolve(file);
            changed |= !Files.exists(target) || Files.mismatch(Path.of("api", file), target) != -1;
            Files.copy(Path.of("api", file), target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (changed || !Files.isExecutable(tools.resolve("node_modules/.bin/redocly"))) {
            Run install =
                    run(tools, List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"));
            assertThat(install.exit())
                    .as("npm ci of the pinned tools:%n%s", install.output())
                    .isZero();
        }
        return tools;
    }

    /** Which paths and schemas were added, removed or changed: enough to see what moved. */
    private static List<String> differences(JsonNode committed, JsonNode live) {
        List<String> out = new ArrayList<>();
        for (String section : List.of("paths", "components/schemas")) {
            JsonNode a = committed.at("/" + section);
            JsonNode b = live.at("/" + section);
            TreeSet<String> names = new TreeSet<>(a.propertyNames());
            names.addAll(b.propertyNames());
            for (String name : names) {
                if (!a.path(name).equals(b.path(name))) {
                    out.add(section + " " + name);
                }
            }
        }
        if (!committed.path("info").equals(live.path("info"))) {
            out.add("info");
        }
        return out;
    }

    record Run(int exit, String output) {}

    private static Run run(Path directory, List<String> command) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put("PWD", directory.toAbsolutePath().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Run(-1, "timed out\n" + output);
        }
        return new Run(process.exitValue(), output);
    }
}
