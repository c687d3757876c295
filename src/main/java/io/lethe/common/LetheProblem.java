package io.lethe.common;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * A refusal that the client can act on. Subclasses are named as facts ({@code HostNotFound}, {@code
 * DeviceAlreadyInRegion}); the single exception handler turns them into RFC 9457 problem details
 * with {@link #status()}, {@link #title()}, the message as {@code detail}, and a {@code type} URI
 * ending in {@link #slug()}. Messages must never contain secrets.
 */
public abstract class LetheProblem extends RuntimeException {

    private final HttpStatus status;
    private final String title;

    protected LetheProblem(HttpStatus status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /**
     * Seconds after which a retry may succeed, sent as {@code Retry-After}; null when that does not
     * apply.
     */
    public Long retryAfterSeconds() {
        return null;
    }

    /** The last segment of the problem type URI: the exception's simple name in kebab case. */
    public String slug() {
        return getClass()
                .getSimpleName()
                .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                // ROOT: under a Turkish default locale an I would become a dotless i
                .toLowerCase(Locale.ROOT);
    }

    /** Base for "the thing named in the path does not exist". */
    public abstract static class NotFound extends LetheProblem {
        protected NotFound(String what, String id) {
            super(
                    HttpStatus.NOT_FOUND,
                    what + " not found",
                    "No " + what.toLowerCase(Locale.ROOT) + " with id '" + id + "'");
        }
    }

    /** Base for requests that contradict the current state of a resource. */
    public abstract static class Conflict extends LetheProblem {
        protected Conflict(String title, String detail) {
            super(HttpStatus.CONFLICT, title, detail);
        }
    }

    /**
     * Base for a well-formed request whose content is invalid in a way bean validation cannot see.
     */
    public abstract static class BadRequest extends LetheProblem {
        private final String field;

        protected BadRequest(String field, String title, String detail) {
            super(HttpStatus.BAD_REQUEST, title, detail);
            this.field = field;
        }

        /** The request field at fault, as a JSON path ("deviceIds[1]"). */
        public String field() {
            return field;
        }
    }
}
