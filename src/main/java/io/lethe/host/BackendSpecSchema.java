package io.lethe.host;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The backend of a host in the OpenAPI document as clients need it: {@code BackendSpec} is a {@code
 * oneOf} of the backends' settings records with a {@code type} discriminator and its mapping, and
 * each is a plain object that carries its own {@code type}. The records and their names come from
 * the built-in backends ({@link BackendKind}), as the JSON the service reads does ({@link
 * BackendSpecTypes}), so the two cannot disagree; each record is described from its own
 * annotations, as springdoc describes any body.
 */
@Configuration(proxyBeanMethods = false)
class BackendSpecSchema {

    static final String PARENT = "BackendSpec";
    static final String SHOWN = "HostBackend";

    /** First, so that the rules checked in code ({@code web/ShapeRules}) find the records. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    GlobalOpenApiCustomizer backendSpecOneOf(BackendKinds backends) {
        return api -> {
            if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
                return;
            }
            @SuppressWarnings("rawtypes")
            Map<String, Schema> schemas = api.getComponents().getSchemas();
            if (!schemas.containsKey(PARENT)) {
                return;
            }
            Map<String, String> mapping = new LinkedHashMap<>();
            @SuppressWarnings("rawtypes")
            List<Schema> kinds = new ArrayList<>();
            for (BackendKind kind : backends.all()) {
                @SuppressWarnings("rawtypes")
                Map<String, Schema> described =
                        ModelConverters.getInstance().readAll(new AnnotatedType(kind.specType()));
                described.forEach(schemas::putIfAbsent);
                io.swagger.v3.oas.annotations.media.Schema named =
                        kind.specType()
                                .getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
                String name =
                        named != null && !named.name().isEmpty()
                                ? named.name()
                                : kind.specType().getSimpleName();
                mapping.put(kind.type().wire(), "#/components/schemas/" + name);
                kinds.add(new Schema<>().$ref("#/components/schemas/" + name));
                flatten(schemas.get(name), kind.type().wire());
            }
            Schema<?> parent = new Schema<>();
            parent.setOneOf(kinds);
            parent.setDiscriminator(new Discriminator().propertyName("type").mapping(mapping));
            parent.setDescription("The host's backend, chosen by type");
            schemas.put(PARENT, parent);
            // A host's backend as shown: its type, one of those it may be registered with, and
            // the fields every backend shows, each described from its own record.
            if (schemas.containsKey(SHOWN)) {
                @SuppressWarnings("rawtypes")
                Map<String, Schema> fields = new LinkedHashMap<>();
                fields.put("type", new StringSchema()._enum(new ArrayList<>(mapping.keySet())));
                for (BackendKind kind : backends.all()) {
                    ModelConverters.getInstance()
                            .readAll(new AnnotatedType(kind.shownType()))
                            .values()
                            .stream()
                            .filter(s -> s.getProperties() != null)
                            .forEach(s -> fields.putAll(s.getProperties()));
                }
                Schema<?> shown = new Schema<>();
                // both ways of saying it, for OpenAPI 3.0's and 3.1's serializers
                shown.setType("object");
                shown.setTypes(new java.util.LinkedHashSet<>(List.of("object")));
                shown.setProperties(fields);
                schemas.put(SHOWN, shown);
            }
        };
    }

    /**
     * The kind's own properties, without the allOf on the parent, and its type as a one-value enum.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void flatten(Schema kind, String type) {
        if (kind == null) {
            return;
        }
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema()._enum(List.of(type)));
        List<String> required = new ArrayList<>(List.of("type"));
        if (kind.getAllOf() != null) {
            for (Object part : kind.getAllOf()) {
                Schema s = (Schema) part;
                if (s.get$ref() == null && s.getProperties() != null) {
                    properties.putAll(s.getProperties());
                    if (s.getRequired() != null) {
                        required.addAll(s.getRequired());
                    }
                }
            }
            kind.setAllOf(null);
        } else if (kind.getProperties() != null) {
            properties.putAll(kind.getProperties());
        }
        if (kind.getRequired() != null) {
            kind.getRequired().stream()
                    .filter(r -> !required.contains(r))
                    .forEach(r -> required.add((String) r));
        }
        kind.setType("object");
        kind.setProperties(properties);
        kind.setRequired(required);
    }
}
