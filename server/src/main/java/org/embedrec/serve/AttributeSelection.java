package org.embedrec.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which item attributes an answer's items carry: all of them (the default, and what every
 * earlier client got), none, or the named ones in the order asked. A catalogue with many
 * attribute columns makes every answer large (32 numeric columns are about 550 bytes an item),
 * and writing them can cost a served request as much as its search; a client that shows only
 * titles asks for none. The {@code title} field of an item is written either way.
 *
 * <p>GET: {@code attributes=genre&attributes=year} (one name per parameter, as {@code history}),
 * {@code attributes=} with nothing after it for none. JSON bodies: {@code "attributes": ["genre"]},
 * {@code []} for none. Names the model's items do not have are refused, naming the field.
 */
final class AttributeSelection {
    static final String FIELD = "attributes";
    static final AttributeSelection ALL = new AttributeSelection(null);
    private static final AttributeSelection NONE = new AttributeSelection(List.of());

    /** The attributes to write, in order; null for every attribute the item has. */
    private final List<String> names;

    private AttributeSelection(List<String> names) {
        this.names = names;
    }

    /** The selection of GET parameters, checked against the model's attribute names {@code known}. */
    static AttributeSelection fromParameters(Map<String, List<String>> params, List<String> known) {
        List<String> values = params.get(FIELD);
        if (values == null || values.isEmpty()) {
            return ALL;
        }
        if (values.size() == 1 && values.get(0).isEmpty()) {
            return NONE;
        }
        return of(values, FIELD, known);
    }

    /** The selection of a JSON body's {@code attributes} field; {@code path} prefixes the field in errors. */
    static AttributeSelection fromBody(JsonNode body, String path, List<String> known) {
        JsonNode node = body.get(FIELD);
        if (node == null || node.isNull()) {
            return ALL;
        }
        String field = path + FIELD;
        if (!node.isArray()) {
            throw BadRequest.of(field, "expected an array of attribute names ([] for none), got " + QueryReader.kind(node));
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (!e.isTextual()) {
                throw BadRequest.of(field + "[" + i + "]", "expected an attribute name, got " + QueryReader.kind(e));
            }
            values.add(e.textValue());
        }
        return values.isEmpty() ? NONE : of(values, field, known);
    }

    /** One selection per query of a batch body ({@code queries[i].attributes}). */
    static List<AttributeSelection> ofBatch(JsonNode body, List<String> known) {
        JsonNode queries = body.get("queries");
        List<AttributeSelection> out = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            out.add(fromBody(queries.get(i), "queries[" + i + "].", known));
        }
        return out;
    }

    private static AttributeSelection of(List<String> values, String field, List<String> known) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String name = values.get(i);
            if (!known.contains(name)) {
                throw BadRequest.of(field, (name.isEmpty() ? "an empty name" : "'" + QueryReader.abbreviate(name) + "'")
                        + " is not an item attribute of this model; " + describe(known));
            }
            names.add(name);
        }
        return new AttributeSelection(List.copyOf(names));
    }

    private static String describe(List<String> known) {
        if (known.isEmpty()) {
            return "its items have none";
        }
        List<String> shown = known.size() <= 20 ? known : known.subList(0, 20);
        return "it has " + String.join(", ", shown) + (shown.size() < known.size() ? " and " + (known.size() - 20)
                + " more (GET /models/{name} lists them)" : "");
    }

    /** Writes {@code "attributes": {...}} into the open item object, when the item has any selected attribute. */
    void write(JsonGenerator g, Map<String, String> attributes) throws IOException {
        boolean open = false;
        for (Map.Entry<String, String> e : selected(attributes)) {
            if (!open) {
                g.writeObjectFieldStart(FIELD);
                open = true;
            }
            g.writeStringField(e.getKey(), e.getValue());
        }
        if (open) {
            g.writeEndObject();
        }
    }

    /** {@link #write}'s object as a node of {@code item}. */
    void put(ObjectNode item, Map<String, String> attributes) {
        ObjectNode o = null;
        for (Map.Entry<String, String> e : selected(attributes)) {
            if (o == null) {
                o = item.putObject(FIELD);
            }
            o.put(e.getKey(), e.getValue());
        }
    }

    private Iterable<Map.Entry<String, String>> selected(Map<String, String> attributes) {
        if (names == null) {
            return attributes.entrySet();
        }
        List<Map.Entry<String, String>> out = new ArrayList<>(names.size());
        for (String name : names) {
            String value = attributes.get(name);
            if (value != null) {
                out.add(Map.entry(name, value));
            }
        }
        return out;
    }
}
