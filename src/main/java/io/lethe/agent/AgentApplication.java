package io.lethe.agent;

import io.lethe.common.ContainerRefusals;
import io.lethe.common.UnreadableAcceptHeader;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * Agent mode: the same jar started on every host with {@code --lethe.mode=agent}. It serves the
 * agent API over the kernel's sysfs ABI under {@code lethe.agent.root} and nothing else: no
 * database, no scheduler, none of the orchestrator's beans.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JndiDataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerAutoConfiguration",
            "com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerMetricsAutoConfiguration",
            "com.github.kagkarlsson.scheduler.boot.autoconfigure.DbSchedulerActuatorAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"
        })
@ComponentScan(basePackageClasses = AgentApplication.class)
@EnableConfigurationProperties(AgentProperties.class)
public class AgentApplication {

    static final String MODE_ARGUMENT = "--lethe.mode=agent";

    /** Whether these command-line arguments (or {@code LETHE_MODE=agent}) ask for agent mode. */
    public static boolean requested(String[] args) {
        return Arrays.asList(args).contains(MODE_ARGUMENT)
                || "agent".equals(System.getenv("LETHE_MODE"))
                || "agent".equals(System.getProperty("lethe.mode"));
    }

    /** Starts the agent; {@code initializers} let a test put an emulated kernel behind it. */
    @SafeVarargs
    public static ConfigurableApplicationContext run(
            String[] args,
            ApplicationContextInitializer<ConfigurableApplicationContext>... initializers) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (all.stream().noneMatch(a -> a.startsWith("--spring.application.name="))) {
            // application.yml names the orchestrator; the agent's logs and metrics must say which
            // is which
            all.add(0, "--spring.application.name=lethe-agent");
        }
        return new SpringApplicationBuilder(AgentApplication.class)
                .properties(
                        Map.of(
                                "server.port", "7443",
                                "springdoc.paths-to-match", "/agent/**",
                                "management.endpoints.web.exposure.include", "health"))
                .initializers(initializers)
                .run(all.toArray(String[]::new));
    }

    /** The container's refusals are the agent's problems; refused unread, a connection closes. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> containerRefusals() {
        return ContainerRefusals.customizer(AgentProblemReport.class);
    }

    /** An Accept header that is not a list of media types is a 400 problem. */
    @Bean
    UnreadableAcceptHeader unreadableAcceptHeader() {
        return new UnreadableAcceptHeader(AgentProblem.TYPE_PREFIX);
    }

    @Bean
    OpenAPI agentOpenApi() {
        return new OpenAPI()
                .info(
                        new Info()
                                .title("Lethe agent")
                                .version("v1")
                                .description(
                                        "Drives the Linux CXL and NVDIMM sysfs ABI of one host for the Lethe orchestrator."))
                .components(
                        new Components()
                                .addSecuritySchemes(
                                        "agent-token",
                                        new SecurityScheme()
                                                .type(SecurityScheme.Type.HTTP)
                                                .scheme("bearer")));
    }

    @Bean
    @ConditionalOnMissingBean(Sysfs.class)
    Sysfs sysfs(AgentProperties properties) {
        return new FileSysfs(properties.rootPath());
    }

    @Bean
    @ConditionalOnMissingBean(Keyring.class)
    Keyring keyring() {
        return new KeyctlKeyring();
    }
}
