package io.lethe.web;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report for what no error page answered, as a problem detail instead of Tomcat's
 * HTML page: a path the container refuses before mapping it to the application (an encoded NUL or
 * slash, {@code %00}, {@code %2F}) never reaches {@link ProblemErrorController}. Installed as the
 * host's error report valve ({@link WebConfiguration}); public with a public constructor because
 * Tomcat creates it by its class name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
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
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ApiExceptionHandler.TYPE_PREFIX + ProblemErrorController.slug(status));
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", ProblemErrorController.detail(status));
        problem.put("code", ProblemErrorController.slug(status));
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer was started elsewhere: nothing more to say
        }
    }
}
