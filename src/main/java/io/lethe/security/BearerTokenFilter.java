package io.lethe.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>}. A wrong token is answered 401 at once and
 * counted; a client address with too many failures is answered 429 until its minute is over.
 * Requests without a token go on and meet the authorization rules.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private final TokenService tokens;
    private final FailedAuthentications failures;
    private final ActiveTokenHashes activeTokens;

    BearerTokenFilter(
            TokenService tokens, FailedAuthentications failures, ActiveTokenHashes activeTokens) {
        this.tokens = tokens;
        this.failures = failures;
        this.activeTokens = activeTokens;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        String header = request.getHeader("Authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        if (bearer) {
            // A valid token is never refused by the failure limit: behind an ingress every client
            // shares one address, and one client's wrong tokens must not lock the others out. A
            // secret that is no active token is refused at the limit without a lookup.
            String secret = header.substring(7).trim();
            boolean blocked = failures.blocked(address);
            var principal =
                    blocked && !activeTokens.mayBeActive(secret)
                            ? Optional.<TokenService.Principal>empty()
                            : tokens.authenticate(secret);
            if (principal.isEmpty()) {
                if (blocked) {
                    response.setHeader(
                            "Retry-After", Long.toString(failures.secondsUntilUnblocked()));
                    Problems.write(
                            request,
                            response,
                            429,
                            "too-many-failed-authentications",
                            "Too many failed authentications",
                            "Too many wrong tokens from this address; try again in a minute");
                    return;
                }
                failures.record(address, "invalid-token");
                Problems.write(
                        request,
                        response,
                        401,
                        "unauthorized",
                        "Unauthorized",
                        "The bearer token is not valid");
                return;
            }
            var authorities =
                    principal.get().roles().stream()
                            .map(r -> new SimpleGrantedAuthority(r.authority()))
                            .toList();
            SecurityContextHolder.getContext()
                    .setAuthentication(
                            UsernamePasswordAuthenticationToken.authenticated(
                                    principal.get().name(), null, authorities));
        }
        chain.doFilter(request, response);
    }
}
