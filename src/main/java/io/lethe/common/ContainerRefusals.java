package io.lethe.common;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * What the service and the agent each register with their web server, so that the container's own
 * refusals behave as the application's do: a request refused before its body was read closes its
 * connection ({@link CloseInsteadOfSwallowing}), and what the container answers before the
 * application sees the request is a problem detail ({@link ContainerProblemReport}).
 */
public final class ContainerRefusals {

    private ContainerRefusals() {}

    /** Both parts, with the application's own problem report. */
    public static WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> customizer(
            Class<? extends ContainerProblemReport> report) {
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> close =
                CloseInsteadOfSwallowing.customizer();
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problems =
                ContainerProblemReport.customizer(report);
        return factory -> {
            close.customize(factory);
            problems.customize(factory);
        };
    }
}
