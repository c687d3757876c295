package io.lethe.support;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.WebUtils;
import tools.jackson.databind.JsonNode;

/**
 * A servlet filter for end-to-end tests that holds every {@code /api} answer against the committed
 * OpenAPI document: the operation and its status code must be documented, the content type must be
 * one the document lists for that status, and a JSON body must validate against the document's
 * schema for it. The schemas are checked by a JSON Schema 2020-12 validator (networknt), the
 * dialect of OpenAPI 3.1, so a {@code null} the service writes where the document does not allow
 * one is a violation. Event streams are passed through unchecked.
 */
public final class ContractCheck extends OncePerRequestFilter {

    private static final String DOCUMENT = "https://lethe.test/openapi.json";
    private final JsonNode spec;
    private final SchemaRegistry registry;
    private final List<Route> routes = new ArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> checked = new CopyOnWriteArrayList<>();

    public ContractCheck(Path document) {
        try {
            String text = Files.readString(document);
            this.spec = Api.JSON.readTree(text);
            this.registry =
                    SchemaRegistry.withDefaultDialect(
                            SpecificationVersion.DRAFT_2020_12,
                            builder -> builder.schemas(Map.of(DOCUMENT, text)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String template : spec.get("paths").propertyNames()) {
            routes.add(
                    new Route(
                            template, Pattern.compile(template.replaceAll("\\{[^/]+}", "[^/]+"))));
        }
        // a literal segment beats a variable: /audit/verification before /audit/{id}
        routes.sort(Comparator.comparingInt(r -> r.template().split("\\{").length));
    }

    /** Each answer that broke the contract, with the request and what was wrong. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Each answer that was checked, as "METHOD template status". */
    public List<String> checked() {
        return List.copyOf(checked);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/")
                || request.getRequestURI().endsWith("/events");
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        // a long poll answers on an async dispatch: the check runs when that dispatch ends
        return false;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper wrapper =
                WebUtils.getNativeResponse(response, ContentCachingResponseWrapper.class);
        if (wrapper == null) {
            wrapper = new ContentCachingResponseWrapper(response);
        }
        try {
            chain.doFilter(request, wrapper);
        } finally {
            if (!isAsyncStarted(request)) {
                check(request, wrapper);
                wrapper.copyBodyToResponse();
            }
        }
    }

    private void check(HttpServletRequest request, ContentCachingResponseWrapper response) {
        String method = request.getMethod().toLowerCase(Locale.ROOT);
        String call = request.getMethod() + " " + request.getRequestURI();
        Route route =
                routes.stream()
                        .filter(r -> r.pattern().matcher(request.getRequestURI()).matches())
                        .findFirst()
                        .orElse(null);
        if (route == null || !spec.get("paths").get(route.template()).has(method)) {
            violations.add(call + ": no such operation in the document");
            return;
        }
        String status = Integer.toString(response.getStatus());
        checked.add(request.getMethod() + " " + route.template() + " " + status);
        JsonNode answer =
                spec.get("paths").get(route.template()).get(method).get("responses").get(status);
        if (answer == null) {
            violations.add(call + ": status " + status + " is not documented");
            return;
        }
        byte[] body = response.getContentAsByteArray();
        if (body.length == 0) {
            return;
        }
        String type =
                response.getContentType() == null
                        ? ""
                        : response.getContentType().split(";")[0].trim();
        if (!answer.path("content").has(type)) {
            violations.add(
                    call
                            + " "
                            + status
                            + ": content type '"
                            + type
                            + "' is not documented, only "
                            + answer.path("content").propertyNames());
            return;
        }
        if (!type.endsWith("json")) {
            return;
        }
        String pointer =
                "/paths/"
                        + escape(route.template())
                        + "/"
                        + method
                        + "/responses/"
                        + status
                        + "/content/"
                        + escape(type)
                        + "/schema";
        Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT + "#" + pointer));
        String json = new String(body, StandardCharsets.UTF_8);
        var errors = schema.validate(Api.JSON.readTree(json));
        if (!errors.isEmpty()) {
            violations.add(
                    call
                            + " "
                            + status
                            + ": "
                            + errors
                            + " in "
                            + (json.length() > 400 ? json.substring(0, 400) + "…" : json));
        }
    }

    /**
     * Validates one event of a Server-Sent Events answer against the schema the document declares
     * for its name ({@code x-event-schemas} of the 200 {@code text/event-stream} content); answers
     * what is wrong, empty when it validates. An undeclared event name is wrong.
     */
    public List<String> eventViolations(String template, String event, JsonNode data) {
        String content =
                "/paths/"
                        + escape(template)
                        + "/get/responses/200/content/"
                        + escape("text/event-stream");
        if (spec.at(content + "/x-event-schemas/" + escape(event)).isMissingNode()) {
            return List.of("event '" + event + "' is not declared in " + content);
        }
        Schema schema =
                registry.getSchema(
                        SchemaLocation.of(
                                DOCUMENT + "#" + content + "/x-event-schemas/" + escape(event)));
        return schema.validate(data).stream().map(Object::toString).toList();
    }

    /** What is wrong with this body by the document's component schema; empty when it validates. */
    public List<String> componentViolations(String component, JsonNode body) {
        Schema schema =
                registry.getSchema(
                        SchemaLocation.of(DOCUMENT + "#/components/schemas/" + escape(component)));
        return schema.validate(body).stream().map(Object::toString).toList();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private record Route(String template, Pattern pattern) {}
}
