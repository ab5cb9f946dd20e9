package io.herald.api.flow;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.Channel;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.segment.SegmentRule;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A flow definition's JSON: nodes and triggers are objects with a {@code type}, the same for the API and stored events. */
class FlowDefinitionJsonTest {

    /** Like the API's mapper: unknown fields and nulls for primitives refused. */
    private static final ObjectMapper STRICT = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    /** Like the event serializer's: unknown fields ignored, nulls written. */
    private static final ObjectMapper LENIENT = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static final FlowDefinition EVERY_KIND = new FlowDefinition(
            new FlowTrigger.Event("Cart Abandoned", List.of(new SegmentRule.PropertyFilter("total", "gt", 20)), "cartId"),
            new FlowEntryPolicy(FlowEntryPolicy.Concurrency.PER_DEDUP_KEY, FlowEntryPolicy.ReEntry.AFTER_DAYS, 7,
                                List.of(new FlowEntryPolicy.ExitCondition("Unsubscribed", null))),
            "Europe/Paris",
            List.of(new FlowNode.Entry("start", "wait"),
                    new FlowNode.Wait("wait", "PT1H", null, null, null, null, "order"),
                    new FlowNode.WaitForEvent("order", "Order Completed", List.of(), "cartId", "PT23H", "done", "mail"),
                    new FlowNode.Send("mail", Channel.EMAIL, CampaignContent.email("Cart", "Hi {{ trigger.cartId }}", null),
                                      true, "split"),
                    new FlowNode.Split("split", List.of(new FlowNode.SplitPath("A", 50, "vip"),
                                                        new FlowNode.SplitPath("B", 50, "hook"))),
                    new FlowNode.Branch("vip", SegmentRule.memberOf("6F1C1A4E-8A55-4B8E-9D57-0D3F5F0F4C22"), "tag", "done"),
                    new FlowNode.Webhook("hook", "https://hooks.example.com/cart", "{}", "done"),
                    new FlowNode.UpdateContact("tag", Map.of("reminded", true), List.of("cart"),
                                               List.of(new FlowNode.ConsentChange(Channel.SMS, ConsentStatus.SUBSCRIBED)),
                                               "morning"),
                    new FlowNode.Wait("morning", null, "09:00", List.of(DayOfWeek.MONDAY), null, null, "done"),
                    new FlowNode.Exit("done")));

    @Test
    void everyKindOfNode_readsBackAsWritten_byBothMappers() throws Exception {
        String json = STRICT.writeValueAsString(EVERY_KIND);
        assertThat(STRICT.readValue(json, FlowDefinition.class)).isEqualTo(EVERY_KIND);
        assertThat(LENIENT.readValue(LENIENT.writeValueAsString(EVERY_KIND), FlowDefinition.class)).isEqualTo(EVERY_KIND);
        assertThat(LENIENT.writeValueAsString(EVERY_KIND)).isEqualTo(json);
    }

    @Test
    void layout_readsBackAsWritten_andIsLeftOutWhenAbsent_soOlderDefinitionsReadAndWriteAsBefore() throws Exception {
        FlowDefinition laidOut = new FlowDefinition(EVERY_KIND.trigger(), EVERY_KIND.entry(), EVERY_KIND.timeZone(),
                                                    EVERY_KIND.nodes(), Map.of("start", new FlowDefinition.Position(16, 24.5),
                                                                               "done", new FlowDefinition.Position(-40, 900)));
        String json = STRICT.writeValueAsString(laidOut);
        assertThat(STRICT.readTree(json).get("layout").get("start").get("y").asDouble()).isEqualTo(24.5);
        assertThat(STRICT.readValue(json, FlowDefinition.class)).isEqualTo(laidOut);
        assertThat(LENIENT.readValue(LENIENT.writeValueAsString(laidOut), FlowDefinition.class)).isEqualTo(laidOut);
        // without a layout: no "layout" key, by either mapper (the stored events' JSON is unchanged)
        assertThat(LENIENT.writeValueAsString(EVERY_KIND)).doesNotContain("layout");
        assertThat(STRICT.writeValueAsString(EVERY_KIND)).doesNotContain("layout");
        String old = STRICT.writeValueAsString(EVERY_KIND);
        assertThat(STRICT.readValue(old, FlowDefinition.class).layout()).isNull();
    }

    @Test
    void eachNodeHasItsTypeOnce_andNoDerivedFields() throws Exception {
        JsonNode tree = STRICT.readTree(STRICT.writeValueAsString(EVERY_KIND));
        List<String> types = tree.get("nodes").findValuesAsText("type").stream()
                .filter(t -> !t.equals("segment")).toList();
        assertThat(types).containsExactly("entry", "wait", "wait_for_event", "send", "split", "branch", "webhook",
                                          "update_contact", "wait", "exit");
        assertThat(tree.get("trigger").get("type").asText()).isEqualTo("event");
        assertThat(tree.toString()).doesNotContain("edges", "waits", "effectiveDedupKey", "segmentIds");
    }

    @Test
    void theTypeNamesAreTheDocumentedOnes() {
        Set<String> names = Arrays.stream(FlowNode.class.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::name).collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder("entry", "send", "wait", "wait_for_event", "branch", "split",
                                                    "update_contact", "webhook", "exit");
        for (FlowNode node : EVERY_KIND.nodes()) {
            assertThat(names).contains(node.type());
        }
    }

    @Test
    void anUnknownType_andAFieldOfAnotherKind_areRefused() {
        assertThatThrownBy(() -> STRICT.readValue("{\"type\":\"sleep\",\"id\":\"x\"}", FlowNode.class))
                .isInstanceOf(InvalidTypeIdException.class);
        assertThatThrownBy(() -> STRICT.readValue("{\"type\":\"exit\",\"id\":\"x\",\"next\":\"y\"}", FlowNode.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
        assertThatThrownBy(() -> STRICT.readValue("{\"type\":\"api\",\"event\":\"x\"}", FlowTrigger.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void segmentIds_areTheTriggersAndTheBranchRules_inLowerCase() {
        assertThat(EVERY_KIND.segmentIds()).containsExactly("6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c22");
        FlowDefinition segmentTriggered = new FlowDefinition(new FlowTrigger.SegmentEntry("ABC"), null, null,
                                                             List.of(new FlowNode.Entry("start", "done"),
                                                                     new FlowNode.Exit("done")));
        assertThat(segmentTriggered.segmentIds()).containsExactly("abc");
    }

    @Test
    void edges_nameTheFieldsThatHoldThem() {
        FlowNode split = EVERY_KIND.nodes().get(4);
        assertThat(split.edges()).containsExactly(new FlowNode.Edge("paths[0].next", "vip"),
                                                  new FlowNode.Edge("paths[1].next", "hook"));
        assertThat(EVERY_KIND.nodes().get(2).edges()).extracting(FlowNode.Edge::field)
                .containsExactly("next", "timeoutNext");
        assertThat(EVERY_KIND.nodes().get(9).edges()).isEmpty();
    }
}
