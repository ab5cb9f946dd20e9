package io.herald.api.segment;

import io.herald.api.campaign.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentRulesTest {

    private static void assertRefused(SegmentRule rule, String path, String message) {
        assertThatThrownBy(() -> SegmentRules.validate(rule, "rules"))
                .isInstanceOfSatisfying(InvalidSegmentRuleException.class, e -> {
                    assertThat(e.code()).isEqualTo("segment.rules.invalid");
                    assertThat(e.field()).isEqualTo(path);
                    assertThat(e.getMessage()).isEqualTo(path + ": " + message);
                });
    }

    private static void assertAccepted(SegmentRule rule) {
        assertThatCode(() -> SegmentRules.validate(rule, "rules")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"email", "externalId", "phone", "locale", "timeZone", "createdAt"})
    void field_exists_withoutValue_orTrueOrFalse(String field) {
        assertAccepted(SegmentRule.field(field, "exists", null));
        assertAccepted(SegmentRule.field(field, "exists", true));
        assertAccepted(SegmentRule.field(field, "exists", false));
        assertRefused(SegmentRule.field(field, "exists", "no"), "rules.value", "exists takes no value, or true/false");
    }

    @Test
    void field_text_takesTheTextOperators_only() {
        for (String op : List.of("eq", "neq", "contains", "starts_with")) {
            assertAccepted(SegmentRule.field("email", op, "ada"));
        }
        assertAccepted(SegmentRule.field("locale", "in", List.of("fr-FR", "en-US")));
        for (String op : List.of("before", "after", "within_last")) {
            assertRefused(SegmentRule.field("phone", op, "2024-01-01"), "rules.operator",
                          "a text field takes eq, neq, contains, starts_with, in or exists");
        }
        assertRefused(SegmentRule.field("phone", "gt", 3), "rules.operator", "a text field is not compared by size");
        assertRefused(SegmentRule.field("phone", "eq", 3), "rules.value", "a text field compares with text");
        assertRefused(SegmentRule.field("phone", "like", "x"), "rules.operator",
                      "operator must be one of " + sorted(SegmentRules.VALUE_OPERATORS));
    }

    @Test
    void field_createdAt_takesTheDateOperators_only() {
        assertAccepted(SegmentRule.field("createdAt", "before", "2024-01-01"));
        assertAccepted(SegmentRule.field("createdAt", "after", "2024-01-01T10:00:00Z"));
        assertAccepted(SegmentRule.field("createdAt", "within_last", 30));
        assertRefused(SegmentRule.field("createdAt", "eq", "2024-01-01"), "rules.operator",
                      "createdAt takes before, after or within_last");
        assertRefused(SegmentRule.field("birthday", "exists", null), "rules.attribute",
                      "field must be one of " + sorted(SegmentRules.FIELDS));
    }

    @Test
    void groups_needChildren_andNotExactlyOne() {
        assertRefused(new SegmentRule.Or(List.of()), "rules.children", "or needs children");
        assertRefused(new SegmentRule.And(null), "rules.children", "and needs children");
        assertRefused(new SegmentRule.Not(List.of(SegmentRule.attribute("a", "exists", null),
                                                  SegmentRule.attribute("b", "exists", null))),
                      "rules.children", "not takes exactly one child");
        assertRefused(SegmentRule.and(SegmentRule.attribute("a", "exists", null),
                                      new SegmentRule.Or(Arrays.asList(SegmentRule.attribute("b", "exists", null), null))),
                      "rules.children[1].children[1]", "a rule node is required");
        assertRefused(null, "rules", "a rule node is required");
    }

    @Test
    void behaviour_consent_membership() {
        assertAccepted(SegmentRule.behaviour("Purchase", null, null, null, null));
        assertRefused(SegmentRule.behaviour("Purchase", "exactly", null, null, null), "rules.count", "exactly needs a count");
        assertRefused(SegmentRule.behaviour("Purchase", "at_least", 1, 7, List.of(
                new SegmentRule.PropertyFilter("p", "before", "soon"))), "rules.where[0].value",
                      "before needs an ISO-8601 date or date-time");
        assertRefused(new SegmentRule.Consent(Channel.SMS, null), "rules.status", "status is required");
        assertRefused(SegmentRule.memberOf("x"), "rules.segmentId", "segmentId must be a segment's id");
    }

    @Test
    void nulCharacters_areRefused_namingThePath() {
        String nul = "a\0b";
        String message = "text cannot contain the NUL character (U+0000)";
        assertRefused(SegmentRule.attribute(nul, "exists", null), "rules.attribute", message);
        assertRefused(SegmentRule.attribute("a", "eq", nul), "rules.value", message);
        assertRefused(SegmentRule.attribute("a", "in", List.of("x", nul)), "rules.value[1]", message);
        assertRefused(SegmentRule.field("email", "starts_with", nul), "rules.value", message);
        assertRefused(SegmentRule.behaviour(nul, null, null, null, null), "rules.event", message);
        assertRefused(SegmentRule.behaviour("E", null, null, null, List.of(new SegmentRule.PropertyFilter(nul, "exists", null))),
                      "rules.where[0].property", message);
    }

    @Test
    void referencedSegments_areTheMembershipNodesAnywhereInTheTree() {
        String a = "6F1C1A4E-8A55-4B8E-9D57-0D3F5F0F4C22";
        String b = "00000000-0000-4000-8000-00000000000b";
        SegmentRule rule = SegmentRule.or(SegmentRule.memberOf(a), SegmentRule.not(SegmentRule.and(
                SegmentRule.memberOf(b), SegmentRule.attribute("x", "exists", null))));
        assertThat(SegmentRules.referencedSegments(rule)).containsExactly(a.toLowerCase(), b);
    }

    @Test
    void engagement_takesAnAction_anOptionalCampaignId_window_andHumanOnly() {
        String campaign = "6F1C1A4E-8A55-4B8E-9D57-0D3F5F0F4C22";
        assertAccepted(SegmentRule.engagement(EngagementAction.OPENED, null, null, null));
        assertAccepted(SegmentRule.engagement(EngagementAction.CLICKED, campaign, 1, true));
        assertAccepted(SegmentRule.engagement(EngagementAction.OPENED, campaign, SegmentRules.MAX_DAYS, false));
        assertAccepted(SegmentRule.not(SegmentRule.engagement(EngagementAction.CLICKED, null, 30, null)));
        assertRefused(SegmentRule.engagement(null, null, null, null), "rules.action",
                      "action is required, one of [opened, clicked]");
        assertRefused(SegmentRule.and(SegmentRule.engagement(EngagementAction.OPENED, "spring-sale", null, null)),
                      "rules.children[0].campaignId", "campaignId must be a campaign's id (or absent for any e-mail)");
        assertRefused(SegmentRule.engagement(EngagementAction.OPENED, "", null, null), "rules.campaignId",
                      "campaignId must be a campaign's id (or absent for any e-mail)");
        String days = "withinLastDays must be 1–" + SegmentRules.MAX_DAYS + " (or absent for ever)";
        assertRefused(SegmentRule.engagement(EngagementAction.OPENED, null, 0, null), "rules.withinLastDays", days);
        assertRefused(SegmentRule.engagement(EngagementAction.OPENED, null, -3, null), "rules.withinLastDays", days);
        assertRefused(SegmentRule.or(SegmentRule.attribute("a", "exists", null), SegmentRule.not(
                              SegmentRule.engagement(EngagementAction.CLICKED, null, SegmentRules.MAX_DAYS + 1, null))),
                      "rules.children[1].children[0].withinLastDays", days);
    }

    @Test
    void referencedCampaigns_areTheEngagementNodesCampaigns_withThePathOfTheFirst() {
        String a = "6F1C1A4E-8A55-4B8E-9D57-0D3F5F0F4C22";
        String b = "00000000-0000-4000-8000-00000000000b";
        SegmentRule rule = SegmentRule.or(
                SegmentRule.engagement(EngagementAction.OPENED, null, 7, null),
                SegmentRule.engagement(EngagementAction.OPENED, a, null, null),
                SegmentRule.not(SegmentRule.and(SegmentRule.engagement(EngagementAction.CLICKED, b, null, true),
                                                SegmentRule.engagement(EngagementAction.CLICKED, a.toLowerCase(), 3, null))));
        assertThat(SegmentRules.referencedCampaigns(rule, "rules")).containsExactly(
                java.util.Map.entry(a.toLowerCase(), "rules.children[1].campaignId"),
                java.util.Map.entry(b, "rules.children[2].children[0].children[0].campaignId"));
        assertThat(SegmentRules.referencedSegments(rule)).isEmpty();
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
