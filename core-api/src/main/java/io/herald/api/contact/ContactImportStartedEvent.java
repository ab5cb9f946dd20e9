package io.herald.api.contact;

import org.axonframework.serialization.Revision;

import java.util.List;

@Revision("1")
public record ContactImportStartedEvent(String importId, String fileName, String filePath, long fileSize,
                                        List<String> columns, ContactImportMapping mapping, ImportMode mode)
        implements ContactImportEvent {
}
