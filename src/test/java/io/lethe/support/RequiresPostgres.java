package io.lethe.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only when the PostgreSQL test server answers. Without one the class is skipped
 * with a message, unless {@code LETHE_REQUIRE_POSTGRES=1}, which CI sets: then a missing server
 * fails the run instead of hiding it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.Condition.class)
public @interface RequiresPostgres {

    final class Condition implements ExecutionCondition {

        private static volatile String unreachable;
        private static volatile boolean probed;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (!probed) {
                probe();
            }
            if (unreachable == null) {
                return ConditionEvaluationResult.enabled(
                        "PostgreSQL answers at " + PostgresTestDatabase.URL);
            }
            String message =
                    "PostgreSQL is not reachable at "
                            + PostgresTestDatabase.URL
                            + " ("
                            + unreachable
                            + "); set LETHE_TEST_POSTGRES_URL or start the server";
            if ("1".equals(System.getenv("LETHE_REQUIRE_POSTGRES"))) {
                throw new IllegalStateException(
                        message + ". LETHE_REQUIRE_POSTGRES=1, so this is a failure.");
            }
            return ConditionEvaluationResult.disabled(message + ". Skipped.");
        }

        private static synchronized void probe() {
            if (probed) {
                return;
            }
            try (Connection c = PostgresTestDatabase.connect()) {
                c.isValid(5);
                unreachable = null;
            } catch (Exception e) {
                unreachable = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            probed = true;
        }
    }
}
