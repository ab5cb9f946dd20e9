package io.herald.saga.flow;

import io.herald.api.common.DomainException;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowRunsMoveResult;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.flow.FlowView;
import io.herald.api.flow.MoveFlowRunsCommand;
import io.herald.api.flow.RecordFlowRunsMovedCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Moves a flow's live runs from one published version to a later one, by node id, and records it on the flow (its
 * history is the audit) in the same transaction: if the flow refuses the record, no run moves. A run moves when the
 * later version has a node of its node's id and no worker is moving it on at that moment (and no send of it is under
 * way); it keeps its due time, its attempts and its trigger data, and its decision log says {@code moved}. The
 * others stay on their version and finish there.
 */
@Component
class FlowRunMoves {

    static final String VERSION_NOT_FOUND = "flow.version.not-found";

    private final FlowRunStore store;
    private final FlowDefinitions definitions;
    private final CommandGateway commands;
    private final TransactionTemplate transactions;
    private final Clock clock;

    FlowRunMoves(FlowRunStore store, FlowDefinitions definitions, CommandGateway commands,
                 PlatformTransactionManager transactionManager, Clock clock) {
        this.store = store;
        this.definitions = definitions;
        this.commands = commands;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    @CommandHandler
    FlowRunsMoveResult handle(MoveFlowRunsCommand command) {
        UUID flowId = UUID.fromString(command.flowId());
        FlowView flow = definitions.flow(flowId);
        if (flow == null) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, FlowEntries.NOT_FOUND,
                                      "No flow with id " + flowId);
        }
        version(flowId, command.fromVersion());
        FlowVersionView to = version(flowId, command.toVersion());
        Set<String> nodes = to.definition().nodes().stream().map(FlowNode::id).collect(Collectors.toSet());
        return transactions.execute(status -> {
            long moved = store.moveRuns(flowId, command.fromVersion(), command.toVersion(), nodes, clock.instant());
            Map<String, Long> stayedAt = store.liveRunsByNode(flowId, command.fromVersion());
            long stayed = stayedAt.values().stream().mapToLong(Long::longValue).sum();
            commands.sendAndWait(new RecordFlowRunsMovedCommand(command.flowId(), command.fromVersion(),
                                                                command.toVersion(), moved, stayed));
            return new FlowRunsMoveResult(command.flowId(), command.fromVersion(), command.toVersion(), moved, stayed,
                                          stayedAt);
        });
    }

    private FlowVersionView version(UUID flowId, int number) {
        FlowVersionView version = number < 1 ? null : definitions.version(flowId, number);
        if (version == null) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, VERSION_NOT_FOUND,
                                      "Flow " + flowId + " has no published version " + number);
        }
        return version;
    }
}
