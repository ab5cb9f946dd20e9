package io.herald.gateway.web;

import com.fasterxml.jackson.databind.JsonMappingException;

/** Where in a request body Jackson stopped, as the API names fields in errors: {@code definition.nodes[2].type}. */
public final class JsonPaths {

    private JsonPaths() {
    }

    /** The field path of a mapping error; empty when the error is at the top of the body. */
    public static String of(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
