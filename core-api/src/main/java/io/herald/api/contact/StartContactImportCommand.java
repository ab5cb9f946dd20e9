package io.herald.api.contact;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Starts an import of a CSV file already received and checked (UTF-8, header present, mapped
 * columns exist) and kept at {@code filePath} until the import finishes.
 */
public record StartContactImportCommand(@TargetAggregateIdentifier @NotBlank String importId,
                                        @NotBlank String fileName,
                                        @NotBlank String filePath,
                                        long fileSize,
                                        @NotNull List<String> columns,
                                        @NotNull @Valid ContactImportMapping mapping,
                                        @NotNull ImportMode mode) {
}
