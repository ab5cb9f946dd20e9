package io.herald.api.contact;

/**
 * One profile field of a PATCH: present with a value sets it, present with {@code null} removes it;
 * a {@code null} FieldPatch leaves the field alone.
 */
public record FieldPatch(String value) {

    public static final FieldPatch REMOVE = new FieldPatch(null);
}
