package io.lethe.common;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose {@code Accept} header is not a list of media types ({@code Accept:
 * garbage}) with a 400 problem detail. Left to Spring, content negotiation fails on it again when
 * the problem is written, and the answer was a 406 with no body at all. Written here, directly, for
 * the same reason.
 */
public final class UnreadableAcceptHeader extends OncePerRequestFilter {

    private final String typePrefix;

    /** A filter whose problems have this type prefix (the service's, or the agent's). */
    public UnreadableAcceptHeader(String typePrefix) {
        this.typePrefix = typePrefix;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            for (String accept : Collections.list(request.getHeaders("Accept"))) {
                MediaType.parseMediaTypes(accept);
            }
        } catch (InvalidMediaTypeException unreadable) {
            String problem =
                    ContainerProblemReport.problemJson(
                            typePrefix,
                            400,
                            "Malformed Accept header",
                            "malformed-accept",
                            "The Accept header is not a list of media types; this API answers application/json",
                            request.getRequestURI());
            response.setStatus(400);
            response.setContentType("application/problem+json");
            response.getOutputStream().write(problem.getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }
}
