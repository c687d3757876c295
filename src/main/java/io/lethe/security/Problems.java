package io.lethe.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes problem details from filters, which run before the MVC exception handler can. */
final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {}

    static void write(
            HttpServletRequest request,
            HttpServletResponse response,
            int status,
            String slug,
            String title,
            String detail)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:lethe:problem:" + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        body.put("code", slug);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
