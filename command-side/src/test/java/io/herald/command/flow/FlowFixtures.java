package io.herald.command.flow;

import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.Channel;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowEntryPolicy;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowTrigger;
import io.herald.api.segment.SegmentRule;

import java.util.ArrayList;
import java.util.List;

/** Definitions for the flow tests: the abandoned-cart flow, and variations of it. */
final class FlowFixtures {

    static final String SEGMENT = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c99";

    private FlowFixtures() {
    }

    static FlowTrigger cartAbandoned() {
        return new FlowTrigger.Event("Cart Abandoned", List.of(), "cartId");
    }

    /** Cart Abandoned → wait 1 h → wait for Order Completed (same cartId, 23 h) → e-mail → branch → exit. */
    static List<FlowNode> cartNodes() {
        return List.of(
                new FlowNode.Entry("start", "wait-1h"),
                new FlowNode.Wait("wait-1h", "PT1H", null, null, null, null, "order"),
                new FlowNode.WaitForEvent("order", "Order Completed", List.of(), "cartId", "PT23H", "done", "reminder"),
                new FlowNode.Send("reminder", Channel.EMAIL,
                                  CampaignContent.email("Your cart is waiting", "Hi {{ first_name }}, {{ trigger.cartId }}",
                                                        null), false, "vip"),
                new FlowNode.Branch("vip", SegmentRule.attribute("plan", "eq", "pro"), "done", "done"),
                new FlowNode.Exit("done"));
    }

    static FlowDefinition cart() {
        return new FlowDefinition(cartAbandoned(), null, "Europe/Paris", cartNodes());
    }

    static FlowDefinition withNodes(List<FlowNode> nodes) {
        return new FlowDefinition(cartAbandoned(), null, null, nodes);
    }

    static FlowDefinition with(FlowTrigger trigger, FlowEntryPolicy entry) {
        return new FlowDefinition(trigger, entry, null, cartNodes());
    }

    /** The cart nodes with {@code node} replacing the one of the same id (or added). */
    static FlowDefinition replacing(FlowNode node) {
        List<FlowNode> nodes = new ArrayList<>(cartNodes());
        boolean replaced = false;
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(node.id())) {
                nodes.set(i, node);
                replaced = true;
            }
        }
        if (!replaced) {
            nodes.add(node);
        }
        return withNodes(nodes);
    }
}
