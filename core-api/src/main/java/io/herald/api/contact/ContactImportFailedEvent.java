package io.herald.api.contact;

import org.axonframework.serialization.Revision;

/** The import stopped for good; the counts say what was stored before (every stored batch stays). */
@Revision("1")
public record ContactImportFailedEvent(String importId, String reason, long rowsRead, long created, long updated,
                                       long rejected) implements ContactImportEvent {
}
