package io.lethe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** The feature packages are modules: no cycles, no reaching into another module's internals. */
class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(LetheApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void featurePackagesAreModules() {
        assertThat(modules.stream().map(m -> m.getIdentifier().toString()))
                .contains("host", "device", "region", "web", "security", "common");
    }
}
