package io.herald.query.contact;

import io.herald.api.contact.ContactImportEvent;
import io.herald.api.contact.ContactImportCompletedEvent;
import io.herald.api.contact.ContactImportFailedEvent;
import io.herald.api.contact.ContactImportView;
import io.herald.api.contact.FindContactImportQuery;
import io.herald.api.contact.ImportState;
import io.herald.query.QuerySideProcessing;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Pushes an import's progress to subscription queries (the API's import stream) on every instance
 * (per-instance live processor, registered by QuerySideProcessing). The import read model is
 * written by another processor: the view is read until it shows the event (by its time), briefly.
 */
@Component
@ProcessingGroup(ContactImportLiveUpdates.PROCESSING_GROUP)
class ContactImportLiveUpdates {

    static final String PROCESSING_GROUP = QuerySideProcessing.AUDIENCE_LIVE;
    private static final long WAIT_FOR_READ_MODEL_MILLIS = 1_000;

    private final ContactImportProjection imports;
    private final QueryUpdateEmitter emitter;

    ContactImportLiveUpdates(ContactImportProjection imports, QueryUpdateEmitter emitter) {
        this.imports = imports;
        this.emitter = emitter;
    }

    @EventHandler
    void on(ContactImportEvent event, @Timestamp Instant at) throws InterruptedException {
        push(event.importId(), at,
             event instanceof ContactImportCompletedEvent || event instanceof ContactImportFailedEvent);
    }

    private void push(String importId, Instant at, boolean finished) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_FOR_READ_MODEL_MILLIS;
        ContactImportView view = imports.handle(new FindContactImportQuery(importId));
        while (!shows(view, at, finished) && System.currentTimeMillis() < deadline) {
            Thread.sleep(25);
            view = imports.handle(new FindContactImportQuery(importId));
        }
        if (view != null) {
            ContactImportView update = view;
            emitter.emit(FindContactImportQuery.class, query -> query.importId().equals(importId), update);
        }
    }

    private static boolean shows(ContactImportView view, Instant at, boolean finished) {
        if (view == null) {
            return false;
        }
        if (finished) {
            return view.state() != ImportState.RUNNING;
        }
        return view.updatedAt() != null && !view.updatedAt().isBefore(at.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }
}
