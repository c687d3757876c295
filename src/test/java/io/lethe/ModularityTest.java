package io.lethe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
        assertThat(matching(sources, sqlOnEngineTables, "engine")).isEmpty();
        // The rule is not vacuous: the engine's own queries match it.
        assertThat(read(sources.resolve("engine/OperationQueries.java")))
                .containsPattern(sqlOnEngineTables);
    }

    /**
     * Outside {@code backend/}, code asks a backend for a capability ({@code HostBackend}, {@code
     * BackendKind}) instead of comparing its type.
     */
    @Test
    void onlyTheBackendsCompareABackendsType() throws IOException {
        Pattern typeCheck = Pattern.compile("(new BackendType|BackendType\\.of)\\(\\s*\"");
        Path sources = Path.of("src/main/java/io/lethe");
        assertThat(matching(sources, typeCheck, "backend")).isEmpty();
        // The rule is not vacuous: the backends themselves match it.
        assertThat(read(sources.resolve("backend/simulated/SimulatedX86Kind.java")))
                .containsPattern(typeCheck);
        assertThat(read(sources.resolve("backend/hostagent/HostAgentKind.java")))
                .containsPattern(typeCheck);
    }

    /**
     * The host inventory keeps a backend's settings without knowing them (issue #37, item 3): no
     * file of {@code host/} names a backend; types, settings records, their documents and what a
     * host shows of them are the backends' own.
     */
    @Test
    void theHostInventoryNamesNoBackend() throws IOException {
        Pattern backendNamed =
                Pattern.compile(
                        "SimulatedX86|HostAgent|SIMULATED_X86|HOST_AGENT|agentUrl|agent_url|tokenSet");
        assertThat(matching(Path.of("src/main/java/io/lethe/host"), backendNamed, null)).isEmpty();
        // The rule is not vacuous: the backends' own settings match it.
        assertThat(read(Path.of("src/main/java/io/lethe/backend/simulated/SimulatedX86Spec.java")))
                .containsPattern(backendNamed);
    }

    /**
     * The simulated hardware is outside Lethe's database and transactions (issue #37, item 5): no
     * code outside its package names its tables, none of its components is handed Lethe's
     * connections or transactions, and Lethe's migrations no longer create its tables.
     */
    @Test
    void theSimulatedHardwareKeepsToAStoreOfItsOwn() throws Exception {
        Pattern sqlOnHardwareTables =
                Pattern.compile("(?i)\\bsim_(hosts|devices|regions|cache_lines)\\b");
        Path sources = Path.of("src/main/java/io/lethe");
        Path simulated = sources.resolve("backend/simulated");
        assertThat(matching(sources, sqlOnHardwareTables, "backend/simulated")).isEmpty();
        assertThat(read(simulated.resolve("SimulatedMachineRows.java")))
                .containsPattern(sqlOnHardwareTables);

        Set<Class<?>> lethes =
                Set.of(
                        javax.sql.DataSource.class,
                        org.springframework.jdbc.core.JdbcOperations.class,
                        org.springframework.jdbc.core.JdbcTemplate.class,
                        org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate.class,
                        org.springframework.transaction.PlatformTransactionManager.class,
                        org.springframework.transaction.support.TransactionTemplate.class,
                        jakarta.persistence.EntityManager.class);
        List<Class<?>> components =
                modules.getModuleByName("backend").orElseThrow().getBasePackage().stream()
                        .filter(c -> c.getPackageName().equals("io.lethe.backend.simulated"))
                        .<Class<?>>map(c -> c.reflect())
                        .filter(
                                c ->
                                        c.isAnnotationPresent(
                                                org.springframework.stereotype.Component.class))
                        .toList();
        assertThat(components).as("the rule is not vacuous").hasSizeGreaterThan(3);
        for (Class<?> component : components) {
            for (var constructor : component.getDeclaredConstructors()) {
                boolean injected =
                        component.getDeclaredConstructors().length == 1
                                || constructor.isAnnotationPresent(
                                        org.springframework.beans.factory.annotation.Autowired
                                                .class);
                if (injected) {
                    assertThat(constructor.getParameterTypes())
                            .as(component.getSimpleName() + " is handed Lethe's connections")
                            .doesNotContainAnyElementsOf(lethes);
                }
            }
        }
        try (Stream<Path> migrations = Files.list(Path.of("src/main/resources/db/migration"))) {
            assertThat(
                            migrations
                                    .filter(
                                            f ->
                                                    read(f).matches(
                                                                    "(?is).*create\\s+table\\s+sim_.*"))
                                    .map(f -> f.getFileName().toString()))
                    .as("only the history before the store of its own")
                    .containsExactlyInAnyOrder(
                            "V3__operations.sql", "V13__simulated_machine_rows.sql");
        }
    }

    /**
     * The end of an operation is an event the device and region modules handle (issue #37, item 4):
     * the engine releases neither itself; each module declares the end it listens to, so the engine
     * publishes it without a cycle.
     */
    @Test
    void deviceAndRegionLetGoAsListenersOfTheEnd() throws IOException {
        Pattern releases = Pattern.compile("RegionCommits|\\.release(Detached)?\\(");
        Path engine = Path.of("src/main/java/io/lethe/engine");
        assertThat(matching(engine, releases, null)).isEmpty();
        // The rule is not vacuous: the region's own listener matches it.
        assertThat(read(Path.of("src/main/java/io/lethe/region/RegionHoldEnds.java")))
                .containsPattern(releases);
        assertThat(io.lethe.device.DeviceHoldEnded.class)
                .isAssignableFrom(io.lethe.engine.OperationEnded.class);
        assertThat(io.lethe.region.RegionHoldEnded.class)
                .isAssignableFrom(io.lethe.engine.OperationEnded.class);
        assertThat(dependenciesOf("device")).doesNotContain("engine");
        assertThat(dependenciesOf("region")).doesNotContain("engine");
    }

    /** The Java files under {@code root}, but not under {@code except}, whose text matches. */
    private static Set<String> matching(Path root, Pattern pattern, String except) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> except == null || !f.startsWith(root.resolve(except)))
                    .filter(f -> pattern.matcher(read(f)).find())
                    .map(f -> root.relativize(f).toString())
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
