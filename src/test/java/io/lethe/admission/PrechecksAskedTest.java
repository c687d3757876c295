package io.lethe.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.EraseMethod;
import io.lethe.engine.OperationType;
import org.junit.jupiter.api.Test;

/** What the request-time checks are given says whether a passphrase came, never which. */
class PrechecksAskedTest {

    @Test
    void itsTextSaysAPassphraseWasGivenWithoutShowingIt() {
        String secret = "correct-horse-battery";
        Prechecks.Asked asked =
                new Prechecks.Asked(
                        OperationType.SECURE_ERASE,
                        EraseMethod.PASSPHRASE_ERASE,
                        true,
                        secret,
                        false);

        assertThat(asked.toString())
                .doesNotContain(secret)
                .contains("passphrase=given")
                .contains("master=true");
        assertThat(
                        new Prechecks.Asked(
                                        OperationType.SECURE_ERASE,
                                        EraseMethod.SANITIZE,
                                        false,
                                        null,
                                        false)
                                .toString())
                .contains("passphrase=none");
    }
}
