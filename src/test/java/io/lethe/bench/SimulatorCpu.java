package io.lethe.bench;

import io.lethe.backend.HostBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * The CPU time the simulated hardware takes in the service's process, which real hardware does not:
 * the thread CPU time spent inside the simulated backend's calls (its own logic, its store's
 * statements and commits), measured at each call's entry and exit on the calling thread. The
 * service's code that runs inside {@link HostBackend#together} (the step handlers between the
 * calls) is the service's, not the simulator's: it is left out, and the backend calls it makes are
 * measured on their own.
 */
final class SimulatorCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final LongAdder nanos = new LongAdder();
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    long nanos() {
        return nanos.sum();
    }

    /**
     * Wraps the simulated backend beans (the ones whose type's wire name starts with "simulated").
     */
    BeanPostProcessor measuring() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HostBackend backend
                        && backend.type().wire().startsWith("simulated")) {
                    return measured(backend);
                }
                return bean;
            }
        };
    }

    private HostBackend measured(HostBackend backend) {
        return (HostBackend)
                Proxy.newProxyInstance(
                        HostBackend.class.getClassLoader(),
                        new Class<?>[] {HostBackend.class},
                        (proxy, method, args) -> {
                            int[] level = depth.get();
                            boolean outer = level[0] == 0;
                            long[] excluded = {0};
                            if (method.getName().equals("together")
                                    && args != null
                                    && args.length == 2
                                    && args[1] instanceof Supplier<?> calls) {
                                args[1] = serviceCode(calls, excluded);
                            }
                            long start = outer ? THREADS.getCurrentThreadCpuTime() : 0;
                            level[0]++;
                            try {
                                return method.invoke(backend, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            } finally {
                                level[0]--;
                                if (outer) {
                                    nanos.add(
                                            THREADS.getCurrentThreadCpuTime()
                                                    - start
                                                    - excluded[0]);
                                }
                            }
                        });
    }

    /** The service's code inside {@code together}: not counted, its backend calls counted alone. */
    private Supplier<Object> serviceCode(Supplier<?> calls, long[] excluded) {
        return () -> {
            int[] level = depth.get();
            int saved = level[0];
            level[0] = 0;
            long paused = THREADS.getCurrentThreadCpuTime();
            try {
                return calls.get();
            } finally {
                long inside = THREADS.getCurrentThreadCpuTime() - paused;
                level[0] = saved;
                excluded[0] += inside;
            }
        };
    }
}
