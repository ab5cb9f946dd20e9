package io.herald.command.flow;

import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.Channel;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowDefinitionException;
import io.herald.api.flow.FlowEntryPolicy;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowTrigger;
import io.herald.api.segment.SegmentRule;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.util.List;
import java.util.Map;

import static io.herald.command.flow.FlowFixtures.cart;
import static io.herald.command.flow.FlowFixtures.cartAbandoned;
import static io.herald.command.flow.FlowFixtures.replacing;
import static io.herald.command.flow.FlowFixtures.with;
import static io.herald.command.flow.FlowFixtures.withNodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowDefinitionValidatorTest {

    private static FlowDefinitionException refused(FlowDefinition definition) {
        try {
            FlowDefinitionValidator.validate(definition);
        } catch (FlowDefinitionException e) {
            return e;
        }
        throw new AssertionError("expected the definition to be refused");
    }

    private static void assertRefused(FlowDefinition definition, String code, String nodeId, String field) {
        FlowDefinitionException e = refused(definition);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.nodeId()).as(e.getMessage()).isEqualTo(nodeId);
        assertThat(e.nodeField()).as(e.getMessage()).isEqualTo(field);
        assertThat(e.field()).isEqualTo(FlowDefinitionException.path(nodeId, field));
        if (nodeId != null) {
            assertThat(e.details()).containsEntry("nodeId", nodeId);
        }
        assertThat(e.details()).containsEntry("nodeField", field);
    }

    @Test
    void theAbandonedCartFlow_isValid() {
        assertThat(FlowDefinitionValidator.validate(cart())).isEmpty();
    }

    @Test
    void everyKindOfNode_andALoopThroughAWait_isValid() {
        var nodes = List.<FlowNode>of(
                new FlowNode.Entry("start", "split"),
                new FlowNode.Split("split", List.of(new FlowNode.SplitPath("A", 50, "sms"),
                                                    new FlowNode.SplitPath("B", 50, "hook"))),
                new FlowNode.Send("sms", Channel.SMS, CampaignContent.sms("Hi {{ trigger.cartId }}"), true, "update"),
                new FlowNode.Webhook("hook", "https://example.com/{{ id }}", "{\"cart\":\"{{ trigger.cartId }}\"}",
                                     "update"),
                new FlowNode.UpdateContact("update", Map.of("stage", "nudged"), List.of("old"),
                                           List.of(new FlowNode.ConsentChange(Channel.SMS, ConsentStatus.SUBSCRIBED)),
                                           "morning"),
                new FlowNode.Wait("morning", null, "09:30", List.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), null, null,
                                  "birthday"),
                new FlowNode.Wait("birthday", null, null, null, "birthday", "-P1D", "member"),
                new FlowNode.Branch("member", SegmentRule.memberOf(FlowFixtures.SEGMENT), "end", "morning"),
                new FlowNode.Exit("end"));
        var definition = new FlowDefinition(cartAbandoned(), new FlowEntryPolicy(
                FlowEntryPolicy.Concurrency.PER_DEDUP_KEY, FlowEntryPolicy.ReEntry.AFTER_DAYS, 30,
                List.of(new FlowEntryPolicy.ExitCondition("Order Completed", List.of(
                        new SegmentRule.PropertyFilter("total", "gt", 0))))), "America/New_York", nodes);
        assertThat(FlowDefinitionValidator.validate(definition))
                .containsExactly(new FlowDefinitionValidator.SegmentReference("member", "rule", FlowFixtures.SEGMENT));
    }

    @Test
    void segmentTrigger_isReturnedForTheExistenceCheck() {
        FlowDefinition definition = new FlowDefinition(new FlowTrigger.SegmentEntry("seg-1"), null, null,
                                                       List.of(new FlowNode.Entry("start", "done"), new FlowNode.Exit("done")));
        assertThat(FlowDefinitionValidator.validate(definition))
                .containsExactly(new FlowDefinitionValidator.SegmentReference(null, "trigger.segmentId", "seg-1"));
    }

    // --- graph

    @Test
    void danglingChild_namesTheNodeAndField() {
        assertRefused(replacing(new FlowNode.Branch("vip", SegmentRule.attribute("plan", "eq", "pro"), "done", "nowhere")),
                      FlowDefinitionException.CHILD_DANGLING, "vip", "falseNext");
    }

    @Test
    void danglingChildOfASplitPath_namesThePath() {
        assertRefused(replacing(new FlowNode.Split("vip", List.of(new FlowNode.SplitPath("a", 60, "done"),
                                                                   new FlowNode.SplitPath("b", 40, "gone")))),
                      FlowDefinitionException.CHILD_DANGLING, "vip", "paths[1].next");
    }

    @Test
    void missingChild_namesTheNodeAndField() {
        assertRefused(replacing(new FlowNode.WaitForEvent("order", "Order Completed", null, "cartId", "PT23H", "done",
                                                          null)),
                      FlowDefinitionException.CHILD_MISSING, "order", "timeoutNext");
    }

    @Test
    void unreachableNode_isNamed() {
        assertRefused(replacing(new FlowNode.Exit("orphan")), FlowDefinitionException.UNREACHABLE, "orphan", "id");
    }

    @Test
    void loopWithoutAWait_namesTheEdgeThatClosesIt() {
        var nodes = List.<FlowNode>of(
                new FlowNode.Entry("start", "a"),
                new FlowNode.UpdateContact("a", Map.of("x", 1), null, null, "b"),
                new FlowNode.Branch("b", SegmentRule.attribute("x", "eq", 1), "a", "end"),
                new FlowNode.Exit("end"));
        assertRefused(withNodes(nodes), FlowDefinitionException.LOOP_WITHOUT_WAIT, "b", "trueNext");
    }

    @Test
    void loopThroughAWaitForEvent_isAllowed() {
        var nodes = List.<FlowNode>of(
                new FlowNode.Entry("start", "a"),
                new FlowNode.WaitForEvent("a", "Ping", null, null, "P1D", "b", "end"),
                new FlowNode.Branch("b", SegmentRule.attribute("x", "eq", 1), "a", "end"),
                new FlowNode.Exit("end"));
        assertThat(FlowDefinitionValidator.validate(withNodes(nodes))).isEmpty();
    }

    @Test
    void twoEntryNodes_areRefused_namingTheSecond() {
        assertRefused(replacing(new FlowNode.Entry("start2", "done")), FlowDefinitionException.ENTRY_COUNT, "start2",
                      "type");
    }

    @Test
    void noEntryNode_isRefused() {
        assertRefused(withNodes(List.of(new FlowNode.Exit("done"))), FlowDefinitionException.ENTRY_COUNT, null, "nodes");
    }

    @Test
    void noNodes_areRefused() {
        assertRefused(withNodes(List.of()), FlowDefinitionException.INVALID, null, "nodes");
    }

    @Test
    void duplicateIds_areRefused() {
        var nodes = List.<FlowNode>of(new FlowNode.Entry("start", "done"), new FlowNode.Exit("done"),
                                      new FlowNode.Exit("done"));
        assertRefused(withNodes(nodes), FlowDefinitionException.NODE_ID_DUPLICATE, "done", "id");
    }

    @Test
    void badNodeId_namesItsPosition() {
        var nodes = List.<FlowNode>of(new FlowNode.Entry("start", "done"), new FlowNode.Exit("no spaces"));
        assertRefused(withNodes(nodes), FlowDefinitionException.NODE_INVALID, null, "nodes[1].id");
    }

    @Test
    void anEdgeBackToTheEntry_isRefused() {
        assertRefused(replacing(new FlowNode.Branch("vip", SegmentRule.attribute("plan", "eq", "pro"), "done", "start")),
                      FlowDefinitionException.NODE_INVALID, "vip", "falseNext");
    }

    // --- nodes

    @Test
    void splitNotSummingTo100_isRefused() {
        FlowDefinitionException e = refused(replacing(new FlowNode.Split("vip", List.of(
                new FlowNode.SplitPath("a", 50, "done"), new FlowNode.SplitPath("b", 40, "done")))));
        assertThat(e.code()).isEqualTo(FlowDefinitionException.SPLIT_PERCENT);
        assertThat(e.nodeId()).isEqualTo("vip");
        assertThat(e.nodeField()).isEqualTo("paths");
        assertThat(e.details()).containsEntry("sum", 90);
    }

    @Test
    void splitPercentOutOfRange_namesThePath() {
        assertRefused(replacing(new FlowNode.Split("vip", List.of(new FlowNode.SplitPath("a", 100, "done"),
                                                                   new FlowNode.SplitPath("b", 0, "done")))),
                      FlowDefinitionException.NODE_INVALID, "vip", "paths[0].percent");
    }

    @Test
    void templateThatDoesNotParse_namesTheNodeAndField() {
        FlowDefinitionException e = refused(replacing(new FlowNode.Send(
                "reminder", Channel.EMAIL, CampaignContent.email("Hi {{ first_name", "body", null), false, "vip")));
        assertThat(e.code()).isEqualTo(FlowDefinitionException.TEMPLATE_INVALID);
        assertThat(e.nodeId()).isEqualTo("reminder");
        assertThat(e.nodeField()).isEqualTo("content.subject");
        assertThat(e.details()).containsKeys("line", "column");
    }

    @Test
    void webhookBodyThatDoesNotParse_isRefused() {
        assertRefused(replacing(new FlowNode.Webhook("vip", "https://example.com", "{% if %}", "done")),
                      FlowDefinitionException.TEMPLATE_INVALID, "vip", "body");
    }

    @Test
    void webhookUrlThatIsNotHttp_isRefused() {
        assertRefused(replacing(new FlowNode.Webhook("vip", "ftp://example.com", "{}", "done")),
                      FlowDefinitionException.NODE_INVALID, "vip", "url");
    }

    @Test
    void emailWithoutSubject_isRefused() {
        assertRefused(replacing(new FlowNode.Send("reminder", Channel.EMAIL, CampaignContent.email(null, "b", null),
                                                  false, "vip")),
                      FlowDefinitionException.NODE_INVALID, "reminder", "content.subject");
    }

    @Test
    void sendWithoutChannel_isRefused() {
        assertRefused(replacing(new FlowNode.Send("reminder", null, CampaignContent.sms("x"), false, "vip")),
                      FlowDefinitionException.NODE_INVALID, "reminder", "channel");
    }

    @Test
    void waitWithTwoModes_isRefused() {
        assertRefused(replacing(new FlowNode.Wait("wait-1h", "PT1H", "09:00", null, null, null, "order")),
                      FlowDefinitionException.NODE_INVALID, "wait-1h", "duration");
    }

    @Test
    void waitWithABadDuration_isRefused() {
        assertRefused(replacing(new FlowNode.Wait("wait-1h", "1 hour", null, null, null, null, "order")),
                      FlowDefinitionException.NODE_INVALID, "wait-1h", "duration");
        assertRefused(replacing(new FlowNode.Wait("wait-1h", "-PT1H", null, null, null, null, "order")),
                      FlowDefinitionException.NODE_INVALID, "wait-1h", "duration");
    }

    @Test
    void waitUntilABadTimeOfDay_isRefused() {
        assertRefused(replacing(new FlowNode.Wait("wait-1h", null, "25:00", null, null, null, "order")),
                      FlowDefinitionException.NODE_INVALID, "wait-1h", "timeOfDay");
    }

    @Test
    void weekdaysWithoutTimeOfDay_areRefused() {
        assertRefused(replacing(new FlowNode.Wait("wait-1h", "PT1H", null, List.of(DayOfWeek.MONDAY), null, null,
                                                  "order")),
                      FlowDefinitionException.NODE_INVALID, "wait-1h", "weekdays");
    }

    @Test
    void offsetWithoutDateAttribute_isRefused() {
        assertRefused(replacing(new FlowNode.Wait("wait-1h", "PT1H", null, null, null, "P1D", "order")),
                      FlowDefinitionException.NODE_INVALID, "wait-1h", "offset");
    }

    @Test
    void waitForEventWithoutTimeout_isRefused() {
        assertRefused(replacing(new FlowNode.WaitForEvent("order", "Order Completed", null, "cartId", null, "done",
                                                          "reminder")),
                      FlowDefinitionException.NODE_INVALID, "order", "timeout");
    }

    @Test
    void waitForEventWithABadFilter_namesTheFilter() {
        assertRefused(replacing(new FlowNode.WaitForEvent("order", "Order Completed", List.of(
                              new SegmentRule.PropertyFilter("total", "bigger", 1)), "cartId", "PT1H", "done", "reminder")),
                      FlowDefinitionException.NODE_INVALID, "order", "where[0].operator");
    }

    @Test
    void waitForEventWithoutAnEventName_isRefused() {
        assertRefused(replacing(new FlowNode.WaitForEvent("order", " ", null, null, "PT1H", "done", "reminder")),
                      FlowDefinitionException.NODE_INVALID, "order", "event");
    }

    @Test
    void matchKey_needsAnEventTrigger() {
        FlowDefinition definition = new FlowDefinition(new FlowTrigger.Api(), null, null, FlowFixtures.cartNodes());
        assertRefused(definition, FlowDefinitionException.NODE_INVALID, "order", "matchKey");
    }

    @Test
    void branchWithABadRule_namesThePathInTheRule() {
        assertRefused(replacing(new FlowNode.Branch("vip", SegmentRule.and(SegmentRule.attribute("plan", "nope", "x")),
                                                    "done", "done")),
                      FlowDefinitionException.NODE_INVALID, "vip", "rule.children[0].operator");
    }

    @Test
    void branchWithoutARule_isRefused() {
        assertRefused(replacing(new FlowNode.Branch("vip", null, "done", "done")),
                      FlowDefinitionException.NODE_INVALID, "vip", "rule");
    }

    @Test
    void updateContactThatDoesNothing_isRefused() {
        assertRefused(replacing(new FlowNode.UpdateContact("vip", Map.of(), List.of(), null, "done")),
                      FlowDefinitionException.NODE_INVALID, "vip", "set");
    }

    @Test
    void updateContactThatSetsAndRemovesTheSameAttribute_isRefused() {
        assertRefused(replacing(new FlowNode.UpdateContact("vip", Map.of("a", 1), List.of("a"), null, "done")),
                      FlowDefinitionException.NODE_INVALID, "vip", "remove[0]");
    }

    // --- trigger, entry policy, time zone

    @Test
    void missingTrigger_isRefused() {
        assertRefused(with(null, null), FlowDefinitionException.TRIGGER_INVALID, null, "trigger");
    }

    @Test
    void eventTriggerWithoutName_isRefused() {
        assertRefused(with(new FlowTrigger.Event("", null, null), null), FlowDefinitionException.TRIGGER_INVALID, null,
                      "trigger.event");
    }

    @Test
    void eventTriggerWithABadFilter_namesTheFilter() {
        assertRefused(with(new FlowTrigger.Event("Cart Abandoned", List.of(new SegmentRule.PropertyFilter(
                              "", "eq", 1)), null), null), FlowDefinitionException.TRIGGER_INVALID, null,
                      "trigger.where[0].property");
    }

    @Test
    void eventTriggerDedupKey_defaultsToTheMessageId() {
        assertThat(new FlowTrigger.Event("x", null, null).effectiveDedupKey()).isEqualTo("messageId");
        assertThat(new FlowTrigger.Event("x", null, "cartId").effectiveDedupKey()).isEqualTo("cartId");
    }

    @Test
    void segmentTriggerWithoutSegment_isRefused() {
        assertRefused(new FlowDefinition(new FlowTrigger.SegmentEntry(null), null, null,
                                         List.of(new FlowNode.Entry("start", "done"), new FlowNode.Exit("done"))),
                      FlowDefinitionException.TRIGGER_INVALID, null, "trigger.segmentId");
    }

    @Test
    void onePerDedupKey_needsAnEventTrigger() {
        FlowDefinition definition = new FlowDefinition(new FlowTrigger.Api(), new FlowEntryPolicy(
                FlowEntryPolicy.Concurrency.PER_DEDUP_KEY, null, null, null), null,
                List.of(new FlowNode.Entry("start", "done"), new FlowNode.Exit("done")));
        assertRefused(definition, FlowDefinitionException.ENTRY_POLICY_INVALID, null, "entry.concurrency");
    }

    @Test
    void reEntryAfterDays_needsItsDays() {
        assertRefused(with(cartAbandoned(), new FlowEntryPolicy(null, FlowEntryPolicy.ReEntry.AFTER_DAYS, null, null)),
                      FlowDefinitionException.ENTRY_POLICY_INVALID, null, "entry.reEntryAfterDays");
        assertRefused(with(cartAbandoned(), new FlowEntryPolicy(null, FlowEntryPolicy.ReEntry.NEVER, 3, null)),
                      FlowDefinitionException.ENTRY_POLICY_INVALID, null, "entry.reEntryAfterDays");
    }

    @Test
    void exitConditionWithoutEvent_isRefused() {
        assertRefused(with(cartAbandoned(), new FlowEntryPolicy(null, null, null, List.of(
                              new FlowEntryPolicy.ExitCondition(null, null)))),
                      FlowDefinitionException.ENTRY_POLICY_INVALID, null, "entry.exitOn[0].event");
    }

    @Test
    void unknownTimeZone_isRefused() {
        assertRefused(new FlowDefinition(cartAbandoned(), null, "Mars/Olympus", FlowFixtures.cartNodes()),
                      FlowDefinitionException.INVALID, null, "timeZone");
    }

    @Test
    void missingDefinition_isRefused() {
        assertThatThrownBy(() -> FlowDefinitionValidator.validate(null)).isInstanceOf(FlowDefinitionException.class);
    }
}
