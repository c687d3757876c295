package io.lethe.security;

import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may do what. Everything under {@code /api} needs a bearer token with the right role (admin
 * &gt; operator &gt; viewer, admin &gt; auditor &gt; viewer); health, API documentation and, by
 * default, the Prometheus endpoint are open. 401 and 403 are problem details.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            TokenService tokens,
            FailedAuthentications failures,
            ActiveTokenHashes activeTokens,
            SecurityProperties properties)
            throws Exception {
        http.csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(
                        new BearerTokenFilter(tokens, failures, activeTokens),
                        AnonymousAuthenticationFilter.class)
                .headers(
                        h ->
                                h.referrerPolicy(
                                        r ->
                                                r.policy(
                                                        ReferrerPolicyHeaderWriter.ReferrerPolicy
                                                                .NO_REFERRER)))
                .exceptionHandling(
                        e ->
                                e.authenticationEntryPoint(
                                                (request, response, ex) -> {
                                                    failures.missing();
                                                    Problems.write(
                                                            request,
                                                            response,
                                                            401,
                                                            "unauthorized",
                                                            "Unauthorized",
                                                            "This needs a bearer token: Authorization: Bearer <token>");
                                                })
                                        .accessDeniedHandler(
                                                (request, response, ex) ->
                                                        Problems.write(
                                                                request,
                                                                response,
                                                                403,
                                                                "forbidden",
                                                                "Forbidden",
                                                                "The token's roles do not allow this")))
                .authorizeHttpRequests(
                        a ->
                                a
                                        // the request was authorized when it came in; its async and
                                        // error dispatches need not be
                                        .dispatcherTypeMatchers(
                                                DispatcherType.ASYNC, DispatcherType.ERROR)
                                        .permitAll()
                                        .requestMatchers(
                                                "/actuator/health",
                                                "/actuator/health/**",
                                                "/actuator/info")
                                        .permitAll()
                                        .requestMatchers("/actuator/prometheus")
                                        .access(
                                                (auth, context) ->
                                                        new AuthorizationDecision(
                                                                properties.metricsPublic()
                                                                        || holdsAToken(auth.get())))
                                        .requestMatchers(
                                                "/swagger-ui.html",
                                                "/swagger-ui/**",
                                                "/v3/api-docs",
                                                "/v3/api-docs/**",
                                                "/error")
                                        .permitAll()
                                        .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**")
                                        .hasRole("ADMIN")
                                        .requestMatchers(
                                                HttpMethod.POST,
                                                "/api/v1/certificates/signing-key/rotation")
                                        .hasRole("ADMIN")
                                        .requestMatchers(HttpMethod.GET, "/api/v1/certificates/**")
                                        .authenticated()
                                        .requestMatchers(
                                                HttpMethod.GET, "/api/v1/operations/*/certificate")
                                        .hasRole("AUDITOR")
                                        .requestMatchers("/api/v1/audit", "/api/v1/audit/**")
                                        .hasRole("AUDITOR")
                                        .requestMatchers(
                                                HttpMethod.POST,
                                                "/api/v1/devices/*/unlock",
                                                "/api/v1/devices/*/secure-erase",
                                                "/api/v1/devices/*/decommission",
                                                "/api/v1/batches")
                                        .hasRole("OPERATOR")
                                        .requestMatchers(
                                                HttpMethod.DELETE,
                                                "/api/v1/operations/*",
                                                "/api/v1/batches/*")
                                        .hasRole("OPERATOR")
                                        .requestMatchers(HttpMethod.GET, "/api/v1/**")
                                        .hasRole("VIEWER")
                                        .requestMatchers("/api/**")
                                        .hasRole("ADMIN")
                                        // Whatever is not listed above is refused: a new endpoint
                                        // is closed until it is listed.
                                        .anyRequest()
                                        .denyAll());
        if (properties.corsOrigins().isEmpty()) {
            http.cors(c -> c.disable());
        } else {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(properties.corsOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
            cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key"));
            UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
            source.registerCorsConfiguration("/api/**", cors);
            http.cors(c -> c.configurationSource(source));
        }
        return http.build();
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy(
                """
                ROLE_ADMIN > ROLE_OPERATOR
                ROLE_ADMIN > ROLE_AUDITOR
                ROLE_OPERATOR > ROLE_VIEWER
                ROLE_AUDITOR > ROLE_VIEWER
                """);
    }

    /** There are no users and passwords, only tokens; this keeps Spring from inventing a user. */
    @Bean
    UserDetailsService noUsers() {
        return name -> {
            throw new UsernameNotFoundException("Lethe authenticates bearer tokens only");
        };
    }

    /**
     * Whether the request carries a valid API token: one of Lethe's roles. An anonymous request
     * carries {@code ROLE_ANONYMOUS}, so "any authority starting with ROLE_" would let it through.
     */
    static boolean holdsAToken(Authentication auth) {
        if (auth == null
                || auth instanceof AnonymousAuthenticationToken
                || !auth.isAuthenticated()) {
            return false;
        }
        return auth.getAuthorities().stream()
                .anyMatch(
                        g ->
                                java.util.Arrays.stream(Role.values())
                                        .anyMatch(r -> r.authority().equals(g.getAuthority())));
    }
}
