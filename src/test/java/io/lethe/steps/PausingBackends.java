package io.lethe.steps;

import io.lethe.backend.HostBackend;
import io.lethe.device.DeviceView;
import io.lethe.host.BackendType;
import io.lethe.host.HostView;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Lets a test stop one step run inside a simulated backend call, run other executions meanwhile,
 * and then let it go on: the interleaving of two replicas, made deterministic. Wraps every {@link
 * HostBackend} simulated backend bean, tells the test what Lethe writes through the CPU, and while
 * armed for a method name, the next call of it (outside any database transaction: {@code
 * invalidateCaches}, {@code eraseStatus}, {@code readDevice}) waits until released.
 */
final class PausingBackends implements BeanPostProcessor {

    private static volatile String armedFor;

    /**
     * Told of every line Lethe writes through a simulated CPU (the verify canary): device id,
     * pattern.
     */
    static volatile BiConsumer<UUID, byte[]> cpuWrites = (device, pattern) -> {};

    /** Told of every invalidation as it reaches the backend, before it acts: the host's id. */
    static volatile Consumer<UUID> invalidationStarts = host -> {};

    /**
     * Answers a simulated host's inventory (what its agent would report) where set, by host id; a
     * null answer, or none set, leaves the backend's own (simulated hosts are declared, not
     * discovered).
     */
    static volatile Function<UUID, HostBackend.Inventory> inventories = host -> null;

    private static volatile CountDownLatch reached;
    private static volatile CountDownLatch release;

    /** The next call of {@code method} waits until {@link #release()}. */
    static void arm(String method) {
        reached = new CountDownLatch(1);
        release = new CountDownLatch(1);
        armedFor = method;
    }

    /** Whether the armed call was reached within the time given. */
    static boolean awaitReached(long millis) throws InterruptedException {
        return reached.await(millis, TimeUnit.MILLISECONDS);
    }

    static void release() {
        armedFor = null;
        if (release != null) {
            release.countDown();
        }
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (!(bean instanceof HostBackend backend)
                || !backend.type().equals(BackendType.of("simulated-x86"))) {
            return bean;
        }
        return Proxy.newProxyInstance(
                HostBackend.class.getClassLoader(),
                new Class<?>[] {HostBackend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("together")) {
                        // Not one session: a caller stopped in a call must not hold the machine, as
                        // real hardware is not held by a stopped caller, and the test changes the
                        // machine meanwhile.
                        return ((Supplier<?>) args[1]).get();
                    }
                    if (method.getName().equals("inventory")) {
                        var reported = inventories.apply(((HostView) args[0]).id());
                        if (reported != null) {
                            return reported;
                        }
                    }
                    if (method.getName().equals("invalidateCaches")) {
                        invalidationStarts.accept(((HostView) args[0]).id());
                    }
                    if (method.getName().equals("writeThroughCpu")) {
                        cpuWrites.accept(((DeviceView) args[2]).id(), (byte[]) args[3]);
                    }
                    if (method.getName().equals(armedFor)) {
                        armedFor = null;
                        reached.countDown();
                        release.await(60, TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
