package io.lethe.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a blank or whitespace value of an enum query parameter ({@code ?state=}, {@code
 * ?state=%20}, {@code ?state=%09}) as it refuses an unknown one: Spring's own conversion turns a
 * blank enum value into "no filter", so the caller got the unfiltered list for a filter it meant.
 */
class BlankEnumParameters implements HandlerInterceptor {

    @Override
    public boolean preHandle(
            HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
            if (annotation == null || !parameter.getParameterType().isEnum()) {
                continue;
            }
            String name = annotation.name().isEmpty() ? annotation.value() : annotation.name();
            if (name.isEmpty()) {
                name = parameter.getParameterName();
            }
            String[] values = request.getParameterValues(name);
            if (values == null) {
                continue;
            }
            for (String value : values) {
                if (value.isBlank()) {
                    throw new MethodArgumentTypeMismatchException(
                            value,
                            parameter.getParameterType(),
                            name,
                            parameter,
                            new IllegalArgumentException("a blank value names no " + name));
                }
            }
        }
        return true;
    }
}
