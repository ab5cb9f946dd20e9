package io.herald.api.contact;

import org.axonframework.serialization.Revision;

@Revision("1")
public record ContactImportCompletedEvent(String importId, long rowsRead, long created, long updated, long rejected)
        implements ContactImportEvent {
}
