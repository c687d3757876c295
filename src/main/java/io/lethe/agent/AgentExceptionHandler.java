package io.lethe.agent;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The agent's one mapping of failures to problem details: a code, the errno, never a stack trace.
 */
@RestControllerAdvice(basePackageClasses = AgentExceptionHandler.class)
class AgentExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(AgentExceptionHandler.class);

    @ExceptionHandler(AgentProblem.class)
    ResponseEntity<ProblemDetail> problem(AgentProblem problem) {
        if (problem.status().is5xxServerError()) {
            log.warn("Kernel access failed: {}", problem.getMessage());
        }
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        body.setType(URI.create(AgentProblem.TYPE_PREFIX + problem.code()));
        body.setTitle(problem.status().getReasonPhrase());
        body.setProperty("code", problem.code());
        if (problem.errno() != null) {
            body.setProperty("errno", problem.errno().name());
        }
        if (problem.attemptsLeft() != null) {
            body.setProperty("attemptsLeft", problem.attemptsLeft());
        }
        return ResponseEntity.status(problem.status()).body(body);
    }

    @ExceptionHandler(SysfsError.class)
    ResponseEntity<ProblemDetail> sysfs(SysfsError error) {
        return problem(AgentProblem.of(error, "kernel"));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unforeseen(RuntimeException e) {
        log.error("Agent request failed", e);
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "the agent failed unexpectedly; its log has the details");
        body.setType(URI.create(AgentProblem.TYPE_PREFIX + "internal"));
        body.setProperty("code", "internal");
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(body);
    }
}
