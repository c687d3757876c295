package io.lethe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.Modulithic;
import org.springframework.modulith.core.ApplicationModules;

/** The feature packages are modules: no cycles, no reaching into another module's internals. */
class ModularityTest {

    /**
     * The root of the module analysis: LetheApplication spells its component scan out (to leave the
     * agent's beans to agent mode), so it is no longer a {@code @SpringBootApplication}.
     */
    @Modulithic
    static final class Root {}

    private final ApplicationModules modules = ApplicationModules.of(Root.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void featurePackagesAreModules() {
        assertThat(modules.stream().map(m -> m.getIdentifier().toString()))
                .contains(
                        "host",
                        "device",
                        "region",
                        "web",
                        "security",
                        "common",
                        "agent",
                        "discovery",
                        "backend",
                        "engine",
                        "steps",
                        "admission",
                        "batch",
                        "operation");
    }

    @Test
    void theEngineDependsOnNoModuleBuiltOnIt() {
        assertThat(dependenciesOf("engine"))
                .doesNotContain("steps", "admission", "batch", "operation");
        assertThat(dependenciesOf("steps")).contains("engine");
        assertThat(dependenciesOf("admission")).contains("engine");
        assertThat(dependenciesOf("batch")).contains("engine");
    }

    @Test
    void stepsArePlugInsNoModuleNames() {
        modules.forEach(
                m ->
                        assertThat(dependenciesOf(m.getIdentifier().toString()))
                                .as(m.getIdentifier().toString())
                                .doesNotContain("steps"));
    }

    /** The engine's tables are its own: others ask it ({@code OperationQueries}). */
    @Test
    void onlyTheEngineWritesSqlOnItsTables() throws IOException {
        Pattern sqlOnEngineTables =
                Pattern.compile(
                        "(?i)\\b(from|join|update|into)\\s+(operations|operation_steps)\\b");
        Path sources = Path.of("src/main/java/io/lethe");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders =
                    files.filter(f -> f.toString().endsWith(".java"))
                            .filter(f -> !f.startsWith(sources.resolve("engine")))
                            .filter(f -> sqlOnEngineTables.matcher(read(f)).find())
                            .map(Path::toString)
                            .toList();
        }
        assertThat(offenders).isEmpty();
        // The rule is not vacuous: the engine's own queries match it.
        assertThat(read(sources.resolve("engine/OperationQueries.java")))
                .containsPattern(sqlOnEngineTables);
    }

    private List<String> dependenciesOf(String module) {
        return modules.getModuleByName(module)
                .orElseThrow()
                .getDirectDependencies(modules)
                .uniqueModules()
                .map(d -> d.getIdentifier().toString())
                .toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
