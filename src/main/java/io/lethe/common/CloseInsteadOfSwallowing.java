package io.lethe.common;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * A request answered without reading its body (a 401 before authentication, a 415, any early
 * refusal) closes its connection once the answer is sent, instead of keeping the request thread to
 * swallow the body the client announced, and the answer says so ({@code Connection: close}). Tomcat
 * swallows such a body by default (up to {@code max-swallow-size}, 2 MiB), so a client without a
 * token that announces a large body and sends it a byte at a time held a thread each: a few hundred
 * of them stalled every request, health checks included. Used by the service and by the agent, each
 * on its own Tomcat.
 *
 * <p>The header matters to every client that keeps connections open: HTTP/1.1 connections persist
 * unless an answer carries the {@code close} option (RFC 9112, 9.3 and 9.6), so a client told
 * nothing sends its next request down the closed connection and gets no answer at all.
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
        // The application's answer is committed (its headers sent) when it starts writing its
        // body, usually before this valve's turn comes again: the header is added at that moment.
        response.setResponse(new AnnouncesTheClose(response.getResponse(), request));
        try {
            getNext().invoke(request, response);
        } finally {
            if (bodyUnread(request) && !request.isAsync()) {
                if (!response.isCommitted()) {
                    response.setHeader("Connection", "close");
                }
                // Tomcat then answers and closes (an error state that closes cleanly), reading
                // nothing more of the body.
                request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }
    }

    private static boolean bodyUnread(Request request) {
        AtomicBoolean fullyRead = new AtomicBoolean(true);
        request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, fullyRead);
        return !fullyRead.get();
    }

    /** Adds {@code Connection: close} when the answer is committed before the body was read. */
    private static final class AnnouncesTheClose extends HttpServletResponseWrapper {

        private final Request request;

        AnnouncesTheClose(HttpServletResponse response, Request request) {
            super(response);
            this.request = request;
        }

        private void beforeCommit() {
            if (!isCommitted() && !request.isAsync() && bodyUnread(request)) {
                setHeader("Connection", "close");
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            beforeCommit();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            beforeCommit();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            beforeCommit();
            super.flushBuffer();
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            beforeCommit();
            super.sendError(sc, msg);
        }

        @Override
        public void sendError(int sc) throws IOException {
            beforeCommit();
            super.sendError(sc);
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            beforeCommit();
            super.sendRedirect(location);
        }
    }
}
