package io.lethe;

import io.lethe.agent.AgentApplication;
import io.lethe.security.ConfigurationRefusal;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * Lethe: orchestrates unlock, secure erase and decommissioning of memory devices with a mandatory,
 * verified CPU cache invalidation before any region is committed again. Started with {@code
 * --lethe.mode=agent} the same jar is the host agent instead ({@link AgentApplication}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(
        excludeFilters = {
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
            @ComponentScan.Filter(
                    type = FilterType.CUSTOM,
                    classes = AutoConfigurationExcludeFilter.class),
            // the agent is another application: none of its beans belongs to the orchestrator
            @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.lethe\\.agent\\..*")
        })
@ConfigurationPropertiesScan
public class LetheApplication {

    public static void main(String[] args) {
        if (AgentApplication.requested(args)) {
            AgentApplication.run(args);
        } else {
            SpringApplication application = new SpringApplication(LetheApplication.class);
            // Settings checked before anything is created; a refusal is one line and exit 2.
            application.addListeners(new ConfigurationRefusal());
            application.run(args);
        }
    }
}
