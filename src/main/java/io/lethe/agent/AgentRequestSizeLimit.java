package io.lethe.agent;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@link #MAX_BYTES}, and bodies without a length, with 413 before
 * anything reads them, token or not: the agent's requests are small JSON documents (a passphrase, a
 * fencing token, a pattern of a few cache lines), and a body it will not read must not keep a
 * request thread.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AgentRequestSizeLimit extends OncePerRequestFilter {

    /** Large enough for a pattern written through the CPU; far below what a stall needs. */
    static final long MAX_BYTES = 64 * 1024;

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > MAX_BYTES || length < 0 && request.getHeader("Transfer-Encoding") != null) {
            response.setStatus(413);
            response.setContentType("application/problem+json");
            response.getWriter()
                    .write(
                            "{\"type\":\""
                                    + AgentProblem.TYPE_PREFIX
                                    + "content-too-large\",\"title\":\"Content too large\","
                                    + "\"status\":413,\"detail\":\"request bodies are limited to "
                                    + MAX_BYTES
                                    + " bytes and need a Content-Length\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}
