package io.lethe.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.filter.AssignableTypeFilter;

/**
 * Puts into the OpenAPI document the shape rules the server enforces but the generator leaves out,
 * so that a request valid by the document is not refused for its shape (issue 36, item 10). Two
 * kinds: bean validation the generator renders too loosely (with 3.1 output, {@code @NotBlank} or
 * {@code @NotEmpty} beside {@code @Size(max)} came out as {@code minLength: 0} / {@code minItems:
 * 0}, {@code @Positive} not at all), and rules checked in code (page sizes, id filters, the long
 * poll's wait, the Idempotency-Key, https agent URLs, interleave ways). Rules that need state
 * (existence, uniqueness, settings) stay out: the document may be stricter there, never looser.
 */
@Configuration(proxyBeanMethods = false)
class ShapeRules {

    /** Ids the filters parse as UUIDs (java.util.UUID.fromString); it accepts this form. */
    static final String UUID_PATTERN =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private static final Set<String> ID_PARAMETERS =
            Set.of("hostId", "deviceId", "batchId", "operationId");

    /** Parameter name to the rule's schema changes, applied wherever the parameter appears. */
    private static final Map<String, Consumer<Schema<?>>> PARAMETERS =
            Map.of(
                    // common/Keyset, AuditCheckpointController: 1 to 1000
                    "limit",
                    s -> {
                        s.setMinimum(BigDecimal.ONE);
                        s.setMaximum(BigDecimal.valueOf(1000));
                    },
                    // operation/LongPoll: an ISO-8601 duration of 0 to 60 seconds; the pattern is
                    // the seconds form (PT1M, also accepted, is left out rather than over-allowed)
                    "wait",
                    s -> s.setPattern("^PT([1-5]?[0-9](\\.[0-9]{1,9})?|60)S$"),
                    // operation/OperationController.checked(): 1 to 255 visible ASCII characters
                    "Idempotency-Key",
                    s -> {
                        s.setMinLength(1);
                        s.setMaxLength(255);
                        s.setPattern("^[!-~]+$");
                    });

    @Bean
    PropertyCustomizer letheBeanValidationShapes() {
        return (property, type) -> {
            Annotation[] annotations = type.getCtxAnnotations();
            if (annotations == null || property == null) {
                return property;
            }
            for (Annotation a : annotations) {
                if (a instanceof Positive && is(property, "integer")) {
                    property.setMinimum(BigDecimal.ONE);
                } else if (a instanceof PositiveOrZero && is(property, "integer")) {
                    property.setMinimum(BigDecimal.ZERO);
                }
            }
            return property;
        };
    }

    /** Body rules checked in code: component schema, then property, then its change. */
    private static final Map<String, Map<String, Consumer<Schema<?>>>> BODIES =
            Map.of(
                    // host/AgentTargets: https only unless lethe.host-agent.allow-plain-http
                    "HostAgentBackend",
                    Map.of("url", ShapeRules::httpsOnly),
                    "RegisterAgentRequest",
                    Map.of("url", ShapeRules::httpsOnly),
                    // region/RegionPlacement.members(): 1, 2, 4, 8 or 16 device ids
                    "DeclareRegion",
                    Map.of("deviceIds", ShapeRules::interleaveWays));

    private static void httpsOnly(Schema<?> url) {
        url.setPattern("^https://[^\\s]+$");
        url.setDescription(
                (url.getDescription() == null ? "" : url.getDescription() + ". ")
                        + "https; http only where lethe.host-agent.allow-plain-http is set");
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void interleaveWays(Schema<?> ids) {
        // distinct members are a uniqueness rule, left to the server
        if (ids.getItems() != null) {
            ids.getItems().setPattern(UUID_PATTERN);
        }
        List<Schema> ways = new ArrayList<>();
        for (int n : new int[] {1, 2, 4, 8, 16}) {
            ways.add(new Schema<>().minItems(n).maxItems(n));
        }
        ids.setAnyOf(ways);
    }

    /**
     * {@code @NotBlank} and {@code @NotEmpty} on the components of Lethe's request records, by the
     * component schema's name ({@code @Schema(name)} or the simple name): the generator's
     * {@code @Size} handling leaves {@code minLength: 0} / {@code minItems: 0} beside them, after
     * any property customizer ran.
     */
    private static Map<String, Map<String, Boolean>> nonEmptyFields() {
        var scanner =
                new ClassPathScanningCandidateComponentProvider(false) {
                    @Override
                    protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                        return true;
                    }
                };
        scanner.addIncludeFilter(new AssignableTypeFilter(Record.class));
        Map<String, Map<String, Boolean>> found = new HashMap<>();
        for (var candidate : scanner.findCandidateComponents("io.lethe")) {
            Class<?> type;
            try {
                type =
                        Class.forName(
                                candidate.getBeanClassName(),
                                false,
                                ShapeRules.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                continue;
            }
            if (!type.isRecord()) {
                continue;
            }
            var annotation = type.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
            String name =
                    annotation == null || annotation.name().isEmpty()
                            ? type.getSimpleName()
                            : annotation.name();
            for (var component : type.getRecordComponents()) {
                // the constraints target fields, not record components: read the field
                Field field;
                try {
                    field = type.getDeclaredField(component.getName());
                } catch (NoSuchFieldException e) {
                    continue;
                }
                if (field.isAnnotationPresent(NotBlank.class)
                        || field.isAnnotationPresent(NotEmpty.class)) {
                    found.computeIfAbsent(name, n -> new HashMap<>())
                            .put(component.getName(), true);
                }
            }
        }
        return found;
    }

    @Bean
    GlobalOpenApiCustomizer letheParameterShapes() {
        Map<String, Map<String, Boolean>> nonEmpty = nonEmptyFields();
        return api -> {
            if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
                nonEmpty.forEach(
                        (component, fields) -> {
                            Schema<?> schema = api.getComponents().getSchemas().get(component);
                            if (schema == null || schema.getProperties() == null) {
                                return;
                            }
                            fields.keySet()
                                    .forEach(
                                            field -> {
                                                Schema<?> p = schema.getProperties().get(field);
                                                if (p == null) {
                                                    return;
                                                }
                                                if (is(p, "array")) {
                                                    p.setMinItems(
                                                            Math.max(1, orZero(p.getMinItems())));
                                                } else if (is(p, "string")) {
                                                    p.setMinLength(
                                                            Math.max(1, orZero(p.getMinLength())));
                                                }
                                            });
                        });
                BODIES.forEach(
                        (component, rules) -> {
                            Schema<?> schema = api.getComponents().getSchemas().get(component);
                            if (schema == null || schema.getProperties() == null) {
                                return;
                            }
                            rules.forEach(
                                    (name, rule) -> {
                                        Schema<?> property = schema.getProperties().get(name);
                                        if (property != null) {
                                            rule.accept(property);
                                        }
                                    });
                        });
            }
            if (api.getPaths() == null) {
                return;
            }
            for (PathItem item : api.getPaths().values()) {
                for (Operation op : item.readOperations()) {
                    if (op.getParameters() == null) {
                        continue;
                    }
                    for (Parameter p : op.getParameters()) {
                        Schema<?> schema = p.getSchema();
                        if (schema == null) {
                            continue;
                        }
                        // filters by id answer 400 for a malformed one; a path's id answers 404
                        // (no such thing), so only the filters say uuid
                        if ("query".equals(p.getIn())
                                && ID_PARAMETERS.contains(p.getName())
                                && is(schema, "string")) {
                            // a pattern, not format uuid: generated clients would change the
                            // parameter's type
                            schema.setPattern(UUID_PATTERN);
                        }
                        var rule = PARAMETERS.get(p.getName());
                        if (rule != null) {
                            rule.accept(schema);
                        }
                    }
                }
            }
        };
    }

    private static boolean is(Schema<?> schema, String type) {
        return type.equals(schema.getType())
                || (schema.getTypes() != null && schema.getTypes().contains(type));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
