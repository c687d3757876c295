package io.lethe.web;

import io.lethe.common.ContainerProblemReport;
import io.lethe.common.LetheProblem;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become RFC 9457 problem details. Every answer to bad input is a
 * 4xx problem that says what is wrong without echoing values (which might be secrets) and without a
 * stack trace; anything unforeseen is a 500 problem whose details stay in the server log.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    static final String TYPE_PREFIX = "urn:lethe:problem:";
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(LetheProblem.class)
    ResponseEntity<ProblemDetail> handleLetheProblem(LetheProblem problem) {
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        body.setTitle(problem.title());
        typed(body, problem.slug());
        if (problem instanceof LetheProblem.BadRequest bad && bad.field() != null) {
            body.setProperty(
                    "errors",
                    List.of(Map.of("field", bad.field(), "message", problem.getMessage())));
        }
        if (problem.retryAfterSeconds() != null) {
            return ResponseEntity.status(problem.status())
                    .header(HttpHeaders.RETRY_AFTER, problem.retryAfterSeconds().toString())
                    .body(body);
        }
        return ResponseEntity.status(problem.status()).body(body);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> handleIntegrity(DataIntegrityViolationException e) {
        log.info(
                "Refused a write that conflicts with stored data: {}",
                e.getMostSpecificCause().getClass().getSimpleName());
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(
                        HttpStatus.CONFLICT,
                        "The request conflicts with data stored concurrently; read the resource and try again");
        body.setTitle("Conflict");
        typed(body, "conflict");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(body);
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> handleConcurrentChange(OptimisticLockingFailureException e) {
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(
                        HttpStatus.CONFLICT,
                        "The resource was changed concurrently; read it and try again");
        body.setTitle("Concurrent change");
        typed(body, "concurrent-change");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(body);
    }

    /**
     * Input refused before it became a value: a query string Tomcat cannot decode ({@code
     * ?cursor=%%%}, bytes that are not UTF-8), or a header Spring Security's firewall refuses when
     * it is read (a value with characters other than visible ASCII). Their messages quote the raw
     * value, which may be a secret, so neither the message nor the value is logged or answered.
     */
    @ExceptionHandler({InvalidParameterException.class, RequestRejectedException.class})
    ResponseEntity<ProblemDetail> handleUnreadable(Exception e) {
        if (e instanceof RequestRejectedException) {
            log.info("Refused a request with a header value the firewall does not allow");
            return unquoted(
                    "Header not allowed",
                    "header-not-allowed",
                    "A header has a value with characters that are not allowed (visible ASCII only)");
        }
        log.info("Refused a request whose query string cannot be decoded");
        return unquoted(
                "Malformed query string",
                "malformed-query-string",
                "The query string is not valid percent-encoded UTF-8");
    }

    /** A 400 that says what kind of input was wrong without quoting it. */
    private static ResponseEntity<ProblemDetail> unquoted(
            String title, String slug, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        body.setTitle(title);
        typed(body, slug);
        return ResponseEntity.badRequest().body(body);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        log.error("Unexpected error while handling a request", e);
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "Lethe could not complete the request; the error is in the service log");
        body.setTitle("Internal error");
        typed(body, "internal-error");
        return ResponseEntity.internalServerError().body(body);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        List<Map<String, String>> errors =
                ex.getBindingResult().getFieldErrors().stream()
                        .sorted(Comparator.comparing(FieldError::getField))
                        .map(
                                f ->
                                        Map.of(
                                                "field",
                                                f.getField(),
                                                "message",
                                                String.valueOf(f.getDefaultMessage())))
                        .toList();
        return validationProblem(errors, headers, ex, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        List<Map<String, String>> errors =
                ex.getParameterValidationResults().stream()
                        .flatMap(
                                r ->
                                        r.getResolvableErrors().stream()
                                                .map(
                                                        e ->
                                                                Map.of(
                                                                        "field",
                                                                                String.valueOf(
                                                                                        r.getMethodParameter()
                                                                                                .getParameterName()),
                                                                        "message",
                                                                                String.valueOf(
                                                                                        ((MessageSourceResolvable)
                                                                                                        e)
                                                                                                .getDefaultMessage()))))
                        .toList();
        return validationProblem(errors, headers, ex, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        JsonProblem problem = JsonProblem.describe(ex);
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, problem.detail());
        body.setTitle(problem.title());
        typed(body, problem.slug());
        if (problem.field() != null) {
            body.setProperty(
                    "errors",
                    List.of(Map.of("field", problem.field(), "message", problem.message())));
        }
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        String name =
                ex instanceof MethodArgumentTypeMismatchException m
                        ? m.getName()
                        : ex.getPropertyName();
        Class<?> type = ex.getRequiredType();
        String message =
                type != null && type.isEnum()
                        ? "must be one of " + JsonProblem.allowed(type)
                        : "must be a " + JsonProblem.simpleType(type);
        return validationProblem(
                List.of(Map.of("field", String.valueOf(name), "message", message)),
                headers,
                ex,
                request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType() == null
                || body instanceof ProblemDetail p
                        && URI.create("about:blank").equals(p.getType())) {
            typed((ProblemDetail) body, slugOf(status));
        } else if (body instanceof ProblemDetail problem
                && problem.getType() != null
                && problem.getType().toString().startsWith(TYPE_PREFIX)
                && (problem.getProperties() == null
                        || !problem.getProperties().containsKey("code"))) {
            problem.setProperty(
                    "code", problem.getType().toString().substring(TYPE_PREFIX.length()));
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private ResponseEntity<Object> validationProblem(
            List<Map<String, String>> errors,
            HttpHeaders headers,
            Exception ex,
            WebRequest request) {
        String detail =
                errors.stream()
                        .map(e -> e.get("field") + ": " + e.get("message"))
                        .collect(Collectors.joining("; "));
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        body.setTitle("Invalid request");
        typed(body, "invalid-request");
        body.setProperty("errors", errors);
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    static String slugOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null
                ? String.valueOf(status.value())
                : ContainerProblemReport.statusName(known);
    }

    /**
     * The problem's type and, as a separate stable slug clients can switch on, its {@code code}
     * (the agent's problems carry one too).
     */
    static void typed(ProblemDetail body, String slug) {
        body.setType(URI.create(TYPE_PREFIX + slug));
        body.setProperty("code", slug);
    }
}
