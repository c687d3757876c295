package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code --lethe.agent.root} is a plain filesystem path, whatever else the string could name: the
 * documented {@code --lethe.agent.root=/} must be the filesystem root, not the classpath root a
 * resource loader would resolve "/" to (which left the agent blind: no cpuinfo, no devices).
 */
class AgentRootTest {

    @Test
    void anExplicitRootOfSlashIsTheFilesystemRoot() {
        try (ConfigurableApplicationContext agent =
                AgentApplication.run(
                        new String[] {
                            "--lethe.mode=agent",
                            "--server.port=0",
                            "--lethe.agent.root=/",
                            "--lethe.agent.token=root-test-token-0123456789abcdef",
                            "--lethe.agent.state-dir=target/agent-root-test"
                        })) {
            AgentProperties properties = agent.getBean(AgentProperties.class);
            assertThat(properties.rootPath()).isEqualTo(Path.of("/"));
            assertThat(properties.statePath())
                    .isEqualTo(Path.of("target/agent-root-test").toAbsolutePath());
        }
    }

    @Test
    void aRelativeRootIsTakenFromTheWorkingDirectory() {
        try (ConfigurableApplicationContext agent =
                AgentApplication.run(
                        new String[] {
                            "--lethe.mode=agent",
                            "--server.port=0",
                            "--lethe.agent.root=target/agent-root",
                            "--lethe.agent.token=root-test-token-0123456789abcdef"
                        })) {
            AgentProperties properties = agent.getBean(AgentProperties.class);
            assertThat(properties.rootPath())
                    .isEqualTo(Path.of("target/agent-root").toAbsolutePath());
            assertThat(properties.statePath())
                    .isEqualTo(Path.of("target/agent-root/var/lib/lethe-agent").toAbsolutePath());
        }
    }
}
