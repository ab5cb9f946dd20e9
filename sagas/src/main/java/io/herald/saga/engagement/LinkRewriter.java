package io.herald.saga.engagement;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and rewrites the links of a rendered e-mail (templates are rendered first: what is rewritten is what the
 * recipient would have seen). In HTML, the {@code href} of {@code <a>} tags (quoted either way or unquoted; entities
 * such as {@code &amp;} decoded to the URL they stand for); in text, bare {@code http(s)://} URLs (trailing
 * punctuation and unbalanced closing brackets are not part of them). Only absolute http and https URLs with a host
 * are tracked: {@code mailto:}, {@code tel:}, {@code #anchors}, relative links, URLs that still hold template syntax,
 * URLs longer than {@link TrackingTokens#MAX_URL_BYTES}, and whatever the {@code untracked} test names (the
 * unsubscribe link, Herald's own links) are left exactly as they are.
 */
public final class LinkRewriter {

    private static final Pattern ANCHOR = Pattern.compile("<a\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern HREF = Pattern.compile(
            "(\\shref\\s*=\\s*)(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE_URL = Pattern.compile("https?://[^\\s<>\"'\\x00-\\x1f\\x7f]+",
                                                            Pattern.CASE_INSENSITIVE);
    private static final Pattern BODY_END = Pattern.compile("</body\\s*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos);");

    private final Predicate<String> untracked;

    /** @param untracked URLs never rewritten (tested on the decoded URL) */
    public LinkRewriter(Predicate<String> untracked) {
        this.untracked = untracked;
    }

    /** The distinct trackable URLs of the HTML body, then of the text body, in the order they first appear. */
    public List<String> links(String html, String text) {
        Set<String> found = new LinkedHashSet<>();
        if (html != null) {
            Matcher anchor = ANCHOR.matcher(html);
            while (anchor.find()) {
                Matcher href = HREF.matcher(anchor.group());
                if (href.find()) {
                    String url = decode(hrefValue(href));
                    if (trackable(url)) {
                        found.add(url);
                    }
                }
            }
        }
        if (text != null) {
            Matcher bare = BARE_URL.matcher(text);
            while (bare.find()) {
                String url = trimUrl(bare.group());
                if (trackable(url)) {
                    found.add(url);
                }
            }
        }
        return new ArrayList<>(found);
    }

    /**
     * The HTML with the {@code href} of each {@code <a>} tag whose URL is trackable replaced by what
     * {@code replacement} answers for the decoded URL (null: left alone). The rest is kept byte for byte.
     */
    public String rewriteHtml(String html, Function<String, String> replacement) {
        if (html == null) {
            return null;
        }
        Matcher anchor = ANCHOR.matcher(html);
        StringBuilder out = new StringBuilder(html.length() + 256);
        int last = 0;
        while (anchor.find()) {
            String tag = anchor.group();
            Matcher href = HREF.matcher(tag);
            if (!href.find()) {
                continue;
            }
            String url = decode(hrefValue(href));
            String tracked = trackable(url) ? replacement.apply(url) : null;
            if (tracked == null) {
                continue;
            }
            out.append(html, last, anchor.start());
            out.append(tag, 0, href.start()).append(href.group(1)).append('"').append(escapeAttribute(tracked))
                    .append('"').append(tag, href.end(), tag.length());
            last = anchor.end();
        }
        return last == 0 ? html : out.append(html, last, html.length()).toString();
    }

    /** The text with each trackable bare URL replaced by what {@code replacement} answers (null: left alone). */
    public String rewriteText(String text, Function<String, String> replacement) {
        if (text == null) {
            return null;
        }
        Matcher bare = BARE_URL.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 256);
        int last = 0;
        while (bare.find()) {
            String url = trimUrl(bare.group());
            String tracked = trackable(url) ? replacement.apply(url) : null;
            if (tracked == null) {
                continue;
            }
            out.append(text, last, bare.start()).append(tracked);
            last = bare.start() + url.length();
        }
        return last == 0 ? text : out.append(text, last, text.length()).toString();
    }

    /** The HTML with a 1×1 image of {@code pixelUrl} just before its last {@code </body>} (else at its end). */
    public static String withPixel(String html, String pixelUrl) {
        String image = "<img src=\"" + escapeAttribute(pixelUrl) + "\" width=\"1\" height=\"1\" alt=\"\" "
                + "style=\"display:block;width:1px;height:1px;border:0\">";
        Matcher end = BODY_END.matcher(html);
        int at = -1;
        while (end.find()) {
            at = end.start();
        }
        return at < 0 ? html + image : html.substring(0, at) + image + html.substring(at);
    }

    private boolean trackable(String url) {
        if (url == null || url.isEmpty() || url.contains("{{") || url.contains("{%")
                || url.getBytes(StandardCharsets.UTF_8).length > TrackingTokens.MAX_URL_BYTES) {
            return false;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return false; // mailto:, tel:, #anchor, relative, javascript:, data:
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                return false;
            }
        } catch (URISyntaxException e) {
            return false; // not a URL a redirect could name (spaces, raw non-ASCII): left as written
        }
        return !untracked.test(url);
    }

    private static String hrefValue(Matcher href) {
        String value = href.group(2) != null ? href.group(2) : href.group(3) != null ? href.group(3) : href.group(4);
        return value.strip();
    }

    /** Character references of an attribute value, decoded (the URL the browser would follow). */
    static String decode(String value) {
        if (value.indexOf('&') < 0) {
            return value;
        }
        Matcher entity = ENTITY.matcher(value);
        StringBuilder out = new StringBuilder(value.length());
        while (entity.find()) {
            String name = entity.group(1);
            String decoded = switch (name) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> {
                    int code = name.charAt(1) == 'x' || name.charAt(1) == 'X'
                            ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                    yield Character.isValidCodePoint(code) ? Character.toString(code) : entity.group();
                }
            };
            entity.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        entity.appendTail(out);
        return out.toString();
    }

    private static String escapeAttribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A bare URL without the sentence punctuation after it, and without closing brackets it did not open. */
    private static String trimUrl(String url) {
        int end = url.length();
        while (end > 0) {
            char c = url.charAt(end - 1);
            if (".,;:!?*".indexOf(c) >= 0) {
                end--;
            } else if (c == ')' && unbalanced(url, end, '(', ')') || c == ']' && unbalanced(url, end, '[', ']')
                    || c == '}' && unbalanced(url, end, '{', '}')) {
                end--;
            } else {
                break;
            }
        }
        return url.substring(0, end);
    }

    private static boolean unbalanced(String url, int end, char open, char close) {
        int depth = 0;
        for (int i = 0; i < end; i++) {
            char c = url.charAt(i);
            if (c == open) {
                depth++;
            } else if (c == close) {
                depth--;
            }
        }
        return depth < 0;
    }
}
