package io.lethe.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.EveryTestClassRan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.BootstrapWith;

/**
 * The test classes that run beside the others ({@code @Execution(CONCURRENT)}, see {@code
 * junit-platform.properties}) share nothing with them: none starts a Spring test context, which the
 * classes on the build's thread share through the context cache, with its database and scheduler.
 */
class TestsBesideTheOthersTest {

    @Test
    void noClassThatRunsBesideTheOthersStartsASpringContext() throws Exception {
        List<String> beside = new ArrayList<>();
        List<String> withContext = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String name : EveryTestClassRan.testClasses(Path.of("target/test-classes"))) {
            Class<?> type = Class.forName(name, false, loader);
            Execution execution = type.getAnnotation(Execution.class);
            if (execution != null && execution.value() == ExecutionMode.CONCURRENT) {
                beside.add(type.getSimpleName());
                if (AnnotatedElementUtils.hasAnnotation(type, BootstrapWith.class)) {
                    withContext.add(type.getSimpleName());
                }
            }
        }
        assertThat(beside).as("the classes that run beside the others").contains("KernelIT");
        assertThat(withContext).as("of them, those with a Spring test context").isEmpty();
    }
}
