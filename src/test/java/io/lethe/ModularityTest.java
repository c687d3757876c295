package io.lethe;

import static org.assertj.core.api.Assertions.assertThat;

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
                        "backend");
    }
}
