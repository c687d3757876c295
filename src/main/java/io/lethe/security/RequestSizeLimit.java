package io.lethe.security;

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
 * Refuses request bodies larger than {@code lethe.security.max-request-bytes} with 413, before
 * anything reads them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestSizeLimit extends OncePerRequestFilter {

    private final SecurityProperties properties;

    RequestSizeLimit(SecurityProperties properties) {
        this.properties = properties;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > properties.maxRequestBytes()
                || length < 0 && request.getHeader("Transfer-Encoding") != null) {
            Problems.write(
                    request,
                    response,
                    413,
                    "content-too-large",
                    "Content too large",
                    "Request bodies are limited to "
                            + properties.maxRequestBytes()
                            + " bytes and need a Content-Length");
            return;
        }
        chain.doFilter(request, response);
    }
}
