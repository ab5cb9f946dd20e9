package io.herald.gateway.web;

/** The default name of a copy made by a {@code POST …/{id}/duplicate} (campaigns, flows). */
public final class CopyNames {

    public static final String SUFFIX = " (copy)";
    /** The longest name a campaign or a flow takes. */
    private static final int MAX = 200;

    private CopyNames() {
    }

    /** The source's name with {@value #SUFFIX}, the name shortened so that the whole fits {@value #MAX} characters. */
    public static String of(String source) {
        return source.length() + SUFFIX.length() > MAX
                ? source.substring(0, MAX - SUFFIX.length()) + SUFFIX : source + SUFFIX;
    }
}
