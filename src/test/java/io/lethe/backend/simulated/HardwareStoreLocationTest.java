package io.lethe.backend.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Where the simulated hardware's database is, given the service's. */
class HardwareStoreLocationTest {

    private static final SimulatedHardwareProperties DERIVED =
            new SimulatedHardwareProperties(null, null, null, null, 10);

    @Test
    void anEmbeddedFileGetsAFileOfItsOwnBesideLethesWithTheSameSettings() {
        HardwareStoreLocation at =
                HardwareStoreLocation.of(
                        DERIVED,
                        "jdbc:h2:file:./data/lethe;MODE=PostgreSQL;WRITE_DELAY=0",
                        "sa",
                        "");
        assertThat(at.url())
                .isEqualTo(
                        "jdbc:h2:file:./data/lethe-simulated-hardware;MODE=PostgreSQL;WRITE_DELAY=0");
        assertThat(at.username()).isEqualTo("sa");
        assertThat(at.schema()).isNull();
    }

    @Test
    void anInMemoryOrServedH2DatabaseGetsADatabaseOfItsOwnOfTheSameKind() {
        assertThat(
                        HardwareStoreLocation.of(
                                        DERIVED, "jdbc:h2:mem:lethe-1;DB_CLOSE_DELAY=-1", "sa", "")
                                .url())
                .isEqualTo("jdbc:h2:mem:lethe-1-simulated-hardware;DB_CLOSE_DELAY=-1");
        assertThat(
                        HardwareStoreLocation.of(
                                        DERIVED,
                                        "jdbc:h2:tcp://127.0.0.1:9092/./data/lethe",
                                        "sa",
                                        "")
                                .url())
                .isEqualTo("jdbc:h2:tcp://127.0.0.1:9092/./data/lethe-simulated-hardware");
    }

    @Test
    void onPostgresItIsASchemaBesideLethesInTheSameDatabase() {
        HardwareStoreLocation inDefault =
                HardwareStoreLocation.of(DERIVED, "jdbc:postgresql://db:5432/lethe", "lethe", "pw");
        assertThat(inDefault.url()).isEqualTo("jdbc:postgresql://db:5432/lethe");
        assertThat(inDefault.schema()).isEqualTo("lethe_simulated");
        assertThat(inDefault.password()).isEqualTo("pw");
        assertThat(
                        HardwareStoreLocation.of(
                                        DERIVED,
                                        "jdbc:postgresql://db/lethe?ssl=true&currentSchema=tenant_a,public",
                                        "u",
                                        "p")
                                .schema())
                .isEqualTo("tenant_a_simulated");
        assertThat(
                        HardwareStoreLocation.of(
                                        DERIVED,
                                        "jdbc:postgresql://db/lethe?currentSchema=public",
                                        "u",
                                        "p")
                                .schema())
                .isEqualTo("lethe_simulated");
    }

    @Test
    void whatIsGivenWinsOverWhatIsDerived() {
        HardwareStoreLocation at =
                HardwareStoreLocation.of(
                        new SimulatedHardwareProperties(
                                "jdbc:postgresql://sim/hw", "sim", "secret", "hw", 4),
                        "jdbc:h2:file:./data/lethe",
                        "sa",
                        "");
        assertThat(at.url()).isEqualTo("jdbc:postgresql://sim/hw");
        assertThat(at.username()).isEqualTo("sim");
        assertThat(at.password()).isEqualTo("secret");
        assertThat(at.schema()).isEqualTo("hw");
        assertThat(at.toString()).doesNotContain("secret").doesNotContain("sim/hw");
    }

    @Test
    void anotherDatabaseNeedsTheStoreGivenAndTheRefusalQuotesNoUrl() {
        assertThatThrownBy(
                        () ->
                                HardwareStoreLocation.of(
                                        DERIVED,
                                        "jdbc:mysql://db/lethe?password=hunter2",
                                        "u",
                                        "hunter2"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lethe.simulated-hardware.url")
                .hasMessageNotContaining("hunter2");
    }
}
