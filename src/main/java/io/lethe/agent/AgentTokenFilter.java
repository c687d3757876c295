package io.lethe.agent;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request to the agent carries its token, whatever the path (API, OpenAPI, health). The
 * comparison takes the same time whatever the presented token shares with the right one.
 */
@Component
class AgentTokenFilter extends OncePerRequestFilter {

    private final byte[] expected;

    AgentTokenFilter(AgentProperties properties) {
        String token = properties.token();
        if (token == null || token.strip().length() < 16) {
            throw new IllegalStateException(
                    "agent mode needs lethe.agent.token (or LETHE_AGENT_TOKEN) of at least 16 characters");
        }
        this.expected = digest(token.strip());
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        String presented =
                header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? header.substring(7).strip()
                        : "";
        if (!MessageDigest.isEqual(expected, digest(presented))) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"lethe-agent\"");
            response.setContentType("application/problem+json");
            response.getWriter()
                    .write(
                            "{\"type\":\""
                                    + AgentProblem.TYPE_PREFIX
                                    + "unauthorized\",\"title\":\"Unauthorized\","
                                    + "\"status\":401,\"detail\":\"a valid agent token is required (Authorization: Bearer ...)\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
