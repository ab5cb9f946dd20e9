package io.herald.bench.flow;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The textbook shape of a flow run: one Axon saga per (contact, run), associated by contact id, started by
 * the entry event and moved on by the contact's next event. Only the flow-runtime benchmark registers it (with
 * {@link #ENABLED}): the harness boots Herald with its component scan of {@code io.herald}, which finds this class in
 * every scenario, where an extra processor reading every event would cost CPU that Herald does not spend.
 */
@Saga
@ConditionalOnProperty(name = FlowRunSaga.ENABLED, havingValue = "true")
@ProcessingGroup(FlowRunSaga.GROUP)
public class FlowRunSaga {

    static final String GROUP = "bench-flow-runs";
    static final String ENABLED = "herald.bench.flow-run-saga";
    static final AtomicLong ENTERED = new AtomicLong();
    static final AtomicLong STEPPED = new AtomicLong();

    /** A contact enters a flow. */
    public record FlowEntered(String contactId, String flowId) {
    }

    /** Something the contact's run waits for happened (an event, or a timer firing). */
    public record FlowStepDue(String contactId) {
    }

    private String contactId;
    private String flowId;
    private int node;

    @StartSaga
    @SagaEventHandler(associationProperty = "contactId")
    public void on(FlowEntered event) {
        contactId = event.contactId();
        flowId = event.flowId();
        node = 1;
        ENTERED.incrementAndGet();
    }

    @SagaEventHandler(associationProperty = "contactId")
    public void on(FlowStepDue event) {
        node++;
        STEPPED.incrementAndGet();
    }
}
