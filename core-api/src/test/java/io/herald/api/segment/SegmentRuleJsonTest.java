package io.herald.api.segment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.herald.api.campaign.Channel;
import io.herald.api.contact.ConsentStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rule tree's JSON: one object per node, its kind in {@code type}, as the API and stored events have it. */
class SegmentRuleJsonTest {

    /** Like the API's mapper: unknown fields refused, nulls left out. */
    private static final ObjectMapper STRICT = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    /** Like the event serializer's: unknown fields ignored, nulls written. */
    private static final ObjectMapper LENIENT = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final SegmentRule TREE = SegmentRule.and(
            SegmentRule.attribute("plan", "in", List.of("pro", 2)),
            SegmentRule.not(SegmentRule.field("email", "exists", false)),
            SegmentRule.or(new SegmentRule.Behaviour("Purchase", "at_most", 2, null, Instant.parse("2026-01-01T00:00:00Z"),
                                                     Instant.parse("2026-02-01T00:00:00Z"),
                                                     List.of(new SegmentRule.PropertyFilter("amount", "gt", 100))),
                           SegmentRule.consent(Channel.SMS, ConsentStatus.UNSUBSCRIBED),
                           SegmentRule.memberOf("6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c22")),
            SegmentRule.not(SegmentRule.engagement(EngagementAction.OPENED, "0e5f6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b", 30,
                                                   true)),
            SegmentRule.engagement(EngagementAction.CLICKED, null, null, null));

    private static final String JSON = """
            {"type":"and","children":[\
            {"type":"attribute","attribute":"plan","operator":"in","value":["pro",2]},\
            {"type":"not","children":[{"type":"field","attribute":"email","operator":"exists","value":false}]},\
            {"type":"or","children":[\
            {"type":"behaviour","event":"Purchase","operator":"at_most","count":2,"from":"2026-01-01T00:00:00Z",\
            "to":"2026-02-01T00:00:00Z","where":[{"property":"amount","operator":"gt","value":100}]},\
            {"type":"consent","channel":"SMS","status":"UNSUBSCRIBED"},\
            {"type":"segment","segmentId":"6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c22"}]},\
            {"type":"not","children":[{"type":"engagement","action":"opened",\
            "campaignId":"0e5f6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b","withinLastDays":30,"humanOnly":true}]},\
            {"type":"engagement","action":"clicked"}]}""";

    @Test
    void eachKindOfNode_isWrittenWithItsTypeAndOwnFieldsOnly() throws Exception {
        assertThat(STRICT.writeValueAsString(TREE)).isEqualTo(JSON);
    }

    @Test
    void theJson_readsBackIntoTheSameTree() throws Exception {
        assertThat(STRICT.readValue(JSON, SegmentRule.class)).isEqualTo(TREE);
        assertThat(LENIENT.readValue(LENIENT.writeValueAsString(TREE), SegmentRule.class)).isEqualTo(TREE);
    }

    @Test
    void eventsWrittenByTheOneRecordTree_withEveryFieldNull_stillRead() throws Exception {
        String stored = """
                {"type":"not","children":[{"type":"field","children":null,"attribute":"phone","operator":"exists",\
                "value":null,"event":null,"count":null,"withinLastDays":null,"from":null,"to":null,"where":null,\
                "channel":null,"status":null,"segmentId":null}],"attribute":null,"operator":null,"value":null,\
                "event":null,"count":null,"withinLastDays":null,"from":null,"to":null,"where":null,"channel":null,\
                "status":null,"segmentId":null}""";
        assertThat(LENIENT.readValue(stored, SegmentRule.class))
                .isEqualTo(SegmentRule.not(SegmentRule.field("phone", "exists", null)));
    }

    @Test
    void aFieldOfAnotherKindOfNode_orAnUnknownType_isRefusedByTheStrictReader() {
        assertThatThrownBy(() -> STRICT.readValue("{\"type\":\"consent\",\"channel\":\"SMS\",\"status\":\"BOUNCED\","
                                                          + "\"count\":1}", SegmentRule.class))
                .isInstanceOfSatisfying(UnrecognizedPropertyException.class, e -> {
                    assertThat(e.getPropertyName()).isEqualTo("count");
                    assertThat(e.getReferringClass()).isEqualTo(SegmentRule.Consent.class);
                });
        assertThatThrownBy(() -> STRICT.readValue("{\"type\":\"nand\",\"children\":[]}", SegmentRule.class))
                .isInstanceOf(InvalidTypeIdException.class);
    }

    @Test
    void anEngagementActionOutsideTheKnownOnes_isRefusedByTheReader() {
        assertThatThrownBy(() -> STRICT.readValue("{\"type\":\"engagement\",\"action\":\"bounced\"}",
                                                  SegmentRule.class))
                .isInstanceOf(com.fasterxml.jackson.databind.exc.InvalidFormatException.class);
        assertThatThrownBy(() -> STRICT.readValue("{\"type\":\"engagement\",\"action\":\"opened\",\"count\":2}",
                                                  SegmentRule.class))
                .isInstanceOfSatisfying(UnrecognizedPropertyException.class,
                                        e -> assertThat(e.getReferringClass()).isEqualTo(SegmentRule.EmailEngagement.class));
    }

    @Test
    void theTypeNames_areTheDocumentedOnes_andEachRecordKnowsItsOwn() {
        Map<Class<?>, String> names = Arrays.stream(SegmentRule.class.getAnnotation(JsonSubTypes.class).value())
                .collect(Collectors.toMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));
        assertThat(names.values()).containsExactlyInAnyOrderElementsOf(SegmentRules.TYPES);
        assertThat(names.keySet()).containsExactlyInAnyOrderElementsOf(records(SegmentRule.class));
        List<SegmentRule> samples = List.of(SegmentRule.and(), SegmentRule.or(), new SegmentRule.Not(List.of()),
                                            SegmentRule.attribute(null, null, null), SegmentRule.field(null, null, null),
                                            SegmentRule.behaviour(null, null, null, null, null),
                                            SegmentRule.consent(null, null), SegmentRule.memberOf(null),
                                            SegmentRule.engagement(null, null, null, null));
        for (SegmentRule sample : samples) {
            assertThat(sample.type()).isEqualTo(names.get(sample.getClass()));
        }
    }

    /** The records a sealed type permits, through sealed sub-interfaces. */
    private static List<Class<?>> records(Class<?> type) {
        return type.isRecord() ? List.of(type)
                : Arrays.stream(type.getPermittedSubclasses()).flatMap(t -> records(t).stream()).toList();
    }
}
