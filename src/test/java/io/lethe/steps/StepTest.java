package io.lethe.steps;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * A step's own test: the step bean from the service's context (its real collaborators, the embedded
 * database), run directly on a {@link StepWorld} whose host answers through a {@code
 * FakeHostBackend}. The context is the suite's common one, so each step's tests cost milliseconds.
 * The assumption they rest on: the fake answers as the backend contract says a backend answers
 * ({@code HostBackendContract} holds the real backends to it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class StepTest {

    @Autowired ApplicationContext context;

    StepWorld world() {
        return new StepWorld(context, true);
    }
}
