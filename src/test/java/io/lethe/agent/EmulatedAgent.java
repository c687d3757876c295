package io.lethe.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An agent on an emulated kernel: in this JVM ({@link #start}) or, through {@link #main}, as a
 * process of its own. The real agent code runs; only the kernel behind the files is emulated.
 */
public final class EmulatedAgent implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final EmulatedKernel kernel;

    private EmulatedAgent(ConfigurableApplicationContext context, EmulatedKernel kernel) {
        this.context = context;
        this.kernel = kernel;
    }

    /** Starts an agent on a free port over the kernel's tree. */
    public static EmulatedAgent start(EmulatedKernel kernel, String token, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--lethe.mode=agent",
                                "--server.port=0",
                                "--lethe.agent.root=" + kernel.root(),
                                "--lethe.agent.token=" + token));
        args.addAll(List.of(extra));
        return new EmulatedAgent(run(kernel, args.toArray(String[]::new)), kernel);
    }

    private static ConfigurableApplicationContext run(EmulatedKernel kernel, String[] args) {
        return AgentApplication.run(
                args,
                context -> context.getBeanFactory().registerSingleton("emulatedKernel", kernel));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public EmulatedKernel kernel() {
        return kernel;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * The agent as a process: {@code --emulated.root=DIR} (the tree is built there), {@code
     * --emulated.hypervisor=true} for a VM, {@code --emulated.sanitize-time=PT1S}; the locked
     * device's passphrase comes from {@code EMULATED_PASSPHRASE}. Every other argument goes to the
     * agent.
     */
    public static void main(String[] args) {
        Path root = null;
        boolean hypervisor = false;
        Duration sanitizeTime = Duration.ofSeconds(1);
        List<String> agentArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--emulated.root=")) {
                root = Path.of(arg.substring("--emulated.root=".length()));
            } else if (arg.startsWith("--emulated.hypervisor=")) {
                hypervisor = Boolean.parseBoolean(arg.substring("--emulated.hypervisor=".length()));
            } else if (arg.startsWith("--emulated.sanitize-time=")) {
                sanitizeTime = Duration.parse(arg.substring("--emulated.sanitize-time=".length()));
            } else {
                agentArgs.add(arg);
            }
        }
        if (root == null) {
            throw new IllegalArgumentException("--emulated.root is required");
        }
        agentArgs.add("--lethe.agent.root=" + root);
        EmulatedKernel kernel =
                EmulatedKernel.standard(
                        root, System.getenv("EMULATED_PASSPHRASE"), hypervisor, sanitizeTime);
        run(kernel, agentArgs.toArray(String[]::new));
    }
}
