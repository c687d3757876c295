package io.lethe.common;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report for what no error page answered, as a problem detail instead of Tomcat's
 * HTML page: a request the container refuses before mapping it to the application (an encoded NUL
 * or slash in its path, a path or header over the size limit, a header without a colon) never
 * reaches the application's error controller. The service and the agent each install a subclass,
 * with their own problem type prefix, as their host's error report valve ({@link #customizer});
 * Tomcat creates it by its class name, so a subclass is public with a public constructor.
 */
public abstract class ContainerProblemReport extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final String typePrefix;

    protected ContainerProblemReport(String typePrefix) {
        this.typePrefix = typePrefix;
        setShowReport(false);
        setShowServerInfo(false);
    }

    /**
     * Makes {@code report} the host's error report valve. Tomcat adds it when the host starts,
     * after Spring Boot's own (which then finds the answer written).
     */
    public static WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> customizer(
            Class<? extends ContainerProblemReport> report) {
        return factory ->
                factory.addContextCustomizers(
                        context -> {
                            if (context.getParent() instanceof StandardHost host) {
                                host.setErrorReportValveClass(report.getName());
                            }
                        });
    }

    /** The problem's {@code detail} for an answer of this status that has no other. */
    public static String detail(HttpStatus status) {
        return switch (status) {
            case METHOD_NOT_ALLOWED -> "This resource does not answer that method";
            case BAD_REQUEST -> "The request could not be read";
            case NOT_FOUND -> "No such resource";
            default ->
                    status.is5xxServerError()
                            ? "The server could not answer; the server log has the details"
                            : status.getReasonPhrase();
        };
    }

    /** The problem's {@code code} for an answer of this status that has no other. */
    public static String slug(HttpStatus status) {
        return status.is5xxServerError() ? "internal-error" : statusName(status);
    }

    /**
     * The status's name in kebab case ({@code unsupported-media-type}); lower-cased by {@link
     * Locale#ROOT}, as a code must not follow the machine's language.
     */
    public static String statusName(HttpStatus status) {
        return status.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * A problem detail as JSON, for the answers written below Spring's message converters (here and
     * {@link UnreadableAcceptHeader}); {@code instance} is left out when null.
     */
    static String problemJson(
            String typePrefix,
            int status,
            String title,
            String code,
            String detail,
            String instance) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", typePrefix + code);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        problem.put("code", code);
        return JSON.writeValueAsString(problem);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        // As Tomcat's own report: only errors, only when nothing was written, only once.
        if (response.getStatus() < 400
                || response.getContentWritten() > 0
                || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(response.getStatus());
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String problem =
                problemJson(
                        typePrefix,
                        status.value(),
                        status.getReasonPhrase(),
                        slug(status),
                        detail(status),
                        null);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(problem);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer was started elsewhere: nothing more to say
        }
    }
}
