package io.lethe.support;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Fails the build when a test class the build compiled did not run. Surefire only runs the classes
 * its include patterns name, and a class that no pattern names is skipped without a word (the
 * property tests were, for months). Run by the build after the tests ({@code verify} phase): every
 * concrete class under the test output with a JUnit Jupiter or jqwik test method must have a
 * Surefire report, except classes tagged {@code benchmark}, which run in their own profile.
 *
 * <p>Arguments: the test classes directory and the Surefire reports directory. Skipped when the run
 * selected tests itself ({@code -Dtest=...}) or skipped them.
 */
public final class EveryTestClassRan {

    /** Annotations that make a method a test for the engines this build uses. */
    private static final Set<String> TEST_ANNOTATIONS =
            Set.of(
                    "org.junit.jupiter.api.Test",
                    "org.junit.jupiter.params.ParameterizedTest",
                    "org.junit.jupiter.api.RepeatedTest",
                    "org.junit.jupiter.api.TestFactory",
                    "org.junit.jupiter.api.TestTemplate",
                    "net.jqwik.api.Property",
                    "net.jqwik.api.Example");

    private EveryTestClassRan() {}

    public static void main(String[] args) throws IOException {
        if (selected("test")
                || selected("it.test")
                || Boolean.getBoolean("skipTests")
                || Boolean.getBoolean("maven.test.skip")) {
            System.out.println(
                    "[every-test-class-ran] tests were selected or skipped in this run: not checked");
            return;
        }
        Path classes = Path.of(args[0]);
        Path reports = Path.of(args[1]);
        Set<String> withTests = testClasses(classes);
        Set<String> missing = new TreeSet<>();
        for (String name : withTests) {
            if (!Files.exists(reports.resolve("TEST-" + name + ".xml"))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "These test classes did not run (no Surefire report); rename them or widen the"
                            + " Surefire includes in pom.xml: "
                            + missing);
        }
        System.out.println("[every-test-class-ran] all " + withTests.size() + " test classes ran");
    }

    /**
     * Concrete top-level classes with at least one test method (their nested classes count for
     * them).
     */
    public static Set<String> testClasses(Path classes) throws IOException {
        Set<String> found = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (Path file : files) {
            String name =
                    classes.relativize(file).toString().replace(".class", "").replace('/', '.');
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load test class " + name, e);
            }
            Class<?> top = type;
            while (top.getEnclosingClass() != null) {
                top = top.getEnclosingClass();
            }
            if (Modifier.isAbstract(top.getModifiers())
                    || top.isInterface()
                    || taggedBenchmark(top)
                    || !hasTests(type)) {
                continue;
            }
            found.add(top.getName());
        }
        return found;
    }

    private static boolean hasTests(Class<?> type) {
        for (Method method : type.getDeclaredMethods()) {
            for (Annotation annotation : method.getAnnotations()) {
                if (TEST_ANNOTATIONS.contains(annotation.annotationType().getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean taggedBenchmark(Class<?> type) {
        for (Annotation annotation : type.getAnnotations()) {
            if (annotation.toString().contains("Tag")
                    && annotation.toString().contains("benchmark")) {
                return true;
            }
        }
        return false;
    }

    private static boolean selected(String property) {
        String value = System.getProperty(property);
        return value != null && !value.isBlank();
    }
}
