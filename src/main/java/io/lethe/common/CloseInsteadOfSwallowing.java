package io.lethe.common;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * A request answered without reading its body (a 401 before authentication, a 413, any early
 * refusal) closes its connection once the answer is sent, instead of keeping the request thread to
 * swallow the body the client announced. Tomcat swallows such a body by default (up to {@code
 * max-swallow-size}, 2 MiB), so a client without a token that announces a large body and sends it a
 * byte at a time held a thread each: a few hundred of them stalled every request, health checks
 * included. Used by the service and by the agent, each on its own Tomcat.
 */
public final class CloseInsteadOfSwallowing extends ValveBase {

    public CloseInsteadOfSwallowing() {
        super(true);
    }

    /** Adds the valve to a Tomcat web server factory. */
    public static WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> customizer() {
        return factory -> factory.addEngineValves(new CloseInsteadOfSwallowing());
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        try {
            getNext().invoke(request, response);
        } finally {
            AtomicBoolean fullyRead = new AtomicBoolean(true);
            request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, fullyRead);
            if (!fullyRead.get() && !request.isAsync()) {
                // Tomcat then answers and closes (an error state that closes cleanly), reading
                // nothing more of the body.
                request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }
    }
}
