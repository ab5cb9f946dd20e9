package io.herald.saga.engagement;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinkRewriterTest {

    private static final String UNSUBSCRIBE = "https://herald.example.com/unsubscribe/abc.def";

    private final LinkRewriter rewriter = new LinkRewriter(UNSUBSCRIBE::equals);

    private static String tracked(String url) {
        return "https://herald.example.com/t/c/" + Integer.toHexString(url.hashCode());
    }

    @Test
    void html_rewritesTheHrefOfAnchors_inEveryQuoting_andKeepsTheRest() {
        String html = "<p>Hi</p><a href=\"https://a.example.com/x\">A</a> <A class='b' HREF='http://b.example.com/'>B</A>"
                + " <a href=https://c.example.com/c?q=1 target=_blank>C</a>";

        String out = rewriter.rewriteHtml(html, LinkRewriterTest::tracked);

        assertThat(out).isEqualTo("<p>Hi</p><a href=\"" + tracked("https://a.example.com/x") + "\">A</a> <A class='b' HREF=\""
                + tracked("http://b.example.com/") + "\">B</A> <a href=\"" + tracked("https://c.example.com/c?q=1")
                + "\" target=_blank>C</a>");
    }

    @Test
    void html_decodesEntities_soTheSignedUrlIsTheOneTheBrowserWouldFollow() {
        String html = "<a href=\"https://a.example.com/?x=1&amp;y=2&#38;z=3\">A</a>";

        assertThat(rewriter.links(html, null)).containsExactly("https://a.example.com/?x=1&y=2&z=3");
    }

    @Test
    void html_leavesMailtoTelAnchorsRelativeTemplatesAndTheUnsubscribeLinkAlone() {
        String html = "<a href=\"mailto:a@example.com\">m</a><a href=\"tel:+3312345\">t</a><a href=\"#top\">#</a>"
                + "<a href=\"/relative\">r</a><a href=\"javascript:alert(1)\">j</a><a name=\"x\">n</a>"
                + "<a href=\"https://x.example.com/{{ id }}\">l</a><a href=\"" + UNSUBSCRIBE + "\">u</a>"
                + "<a href=\"https://bad host/\">s</a><link href=\"https://styles.example.com/a.css\">"
                + "<img src=\"https://img.example.com/a.png\">";

        assertThat(rewriter.links(html, null)).isEmpty();
        assertThat(rewriter.rewriteHtml(html, LinkRewriterTest::tracked)).isSameAs(html);
    }

    @Test
    void text_rewritesBareUrls_withoutTheSentencePunctuationAfterThem() {
        String text = "See https://a.example.com/x. Or (https://b.example.com/y), https://c.example.com/wiki/A_(B)!\n"
                + "Unsubscribe: " + UNSUBSCRIBE + "\nmailto:a@example.com";

        String out = rewriter.rewriteText(text, LinkRewriterTest::tracked);

        assertThat(out).isEqualTo("See " + tracked("https://a.example.com/x") + ". Or (" + tracked("https://b.example.com/y")
                + "), " + tracked("https://c.example.com/wiki/A_(B)") + "!\nUnsubscribe: " + UNSUBSCRIBE
                + "\nmailto:a@example.com");
    }

    @Test
    void links_areDistinct_htmlFirst_inTheOrderTheyAppear() {
        String html = "<a href=\"https://b.example.com/\">b</a><a href=\"https://a.example.com/\">a</a>"
                + "<a href=\"https://b.example.com/\">b again</a>";
        String text = "https://a.example.com/ https://c.example.com/";

        assertThat(rewriter.links(html, text))
                .isEqualTo(List.of("https://b.example.com/", "https://a.example.com/", "https://c.example.com/"));
    }

    @Test
    void aReplacementOfNull_leavesThatLinkAsItWas() {
        String html = "<a href=\"https://a.example.com/\">a</a><a href=\"https://b.example.com/\">b</a>";

        String out = rewriter.rewriteHtml(html, url -> url.contains("a.example") ? "https://t/1" : null);

        assertThat(out).isEqualTo("<a href=\"https://t/1\">a</a><a href=\"https://b.example.com/\">b</a>");
    }

    @Test
    void withPixel_putsTheImageBeforeTheLastBodyEnd_orAtTheEnd() {
        String pixel = "https://herald.example.com/t/o/tok.en";

        assertThat(LinkRewriter.withPixel("<html><body><p>x</p></BODY></html>", pixel))
                .isEqualTo("<html><body><p>x</p><img src=\"" + pixel + "\" width=\"1\" height=\"1\" alt=\"\" "
                                   + "style=\"display:block;width:1px;height:1px;border:0\"></BODY></html>");
        assertThat(LinkRewriter.withPixel("<p>fragment</p>", pixel)).startsWith("<p>fragment</p><img src=\"" + pixel);
    }
}
