package io.herald.template;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiquidTemplatesTest {

    private final LiquidTemplates templates = new LiquidTemplates();

    @Test
    void render_insertsContactFieldsAndAttributes() {
        String out = templates.render("Hi {{ first_name | default: 'there' }}, {{ attributes.plan | upcase }}!",
                                      Map.of("first_name", "Ann", "attributes", Map.of("plan", "pro")),
                                      LiquidTemplates.Mode.TEXT);
        assertThat(out).isEqualTo("Hi Ann, PRO!");
    }

    @Test
    void render_unknownVariablesAreEmpty() {
        assertThat(templates.render("[{{ nope.deeper }}]", Map.of(), LiquidTemplates.Mode.TEXT)).isEqualTo("[]");
    }

    @Test
    void htmlMode_escapesInsertedValues_butNotTheTemplate() {
        String out = templates.render("<p>{{ name }}</p>", Map.of("name", "<script>alert('x')</script>"),
                                      LiquidTemplates.Mode.HTML);
        assertThat(out).isEqualTo("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>");
    }

    @Test
    void check_reportsLineAndColumnOfASyntaxError() {
        TemplateProblem problem = templates.check("Hello\n{% if name %}\nno end").orElseThrow();
        assertThat(problem.line()).isPositive();
        assertThat(problem.message()).isNotBlank();
        assertThat(templates.check("Hello {{ name }}")).isEmpty();
    }

    @Test
    void check_refusesFileTags() {
        TemplateProblem problem = templates.check("a\n  {% include 'secrets.txt' %}").orElseThrow();
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.column()).isEqualTo(3);
        assertThat(problem.message()).contains("include");
    }

    @Test
    void objectsNeverExposeTheirMethods() {
        Object secretive = new Object() {
            @Override
            public String toString() {
                return "plain";
            }

            @SuppressWarnings("unused")
            public String getPassword() {
                return "leaked";
            }
        };
        String out = templates.render("{{ thing }}|{{ thing.password }}", Map.of("thing", secretive),
                                      LiquidTemplates.Mode.TEXT);
        assertThat(out).isEqualTo("plain|");
    }

    @Test
    void runawayLoops_areStopped() {
        assertThatThrownBy(() -> templates.render("{% for i in (1..100000000) %}x{% endfor %}", Map.of(),
                                                  LiquidTemplates.Mode.TEXT))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void listsAndNumbersWork() {
        assertThat(templates.render("{% for t in tags %}{{ t }},{% endfor %}{{ n | plus: 1 }}",
                                    Map.of("tags", List.of("a", "b"), "n", 41), LiquidTemplates.Mode.TEXT))
                .isEqualTo("a,b,42");
    }

    @Test
    void jsonMode_escapesValuesForAJsonString_andAPreparedTemplateRendersManyTimes() {
        LiquidTemplates.Prepared payload = templates.prepare("{\"name\": \"{{ name }}\"}", LiquidTemplates.Mode.JSON);
        assertThat(payload.render(java.util.Map.of("name", "O\"Brien\\ <b>\n"))).isEqualTo(
                "{\"name\": \"O\\\"Brien\\\\ \\u003cb\\u003e\\n\"}");
        assertThat(payload.render(java.util.Map.of("name", "Ada"))).isEqualTo("{\"name\": \"Ada\"}");
    }
}
