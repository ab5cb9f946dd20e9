package io.herald.gateway.contact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.common.DomainException;
import io.herald.api.contact.ContactImportMapping;
import io.herald.api.contact.ContactImportView;
import io.herald.api.contact.FindContactImportQuery;
import io.herald.api.contact.FindContactImportRejectionsQuery;
import io.herald.api.contact.ImportMode;
import io.herald.api.contact.RejectedRow;
import io.herald.api.contact.StartContactImportCommand;
import io.herald.eventstore.database.SharedFiles;
import io.herald.gateway.config.GatewayProperties;
import io.herald.gateway.web.NotFoundException;
import io.herald.gateway.web.WritePath;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import io.herald.gateway.web.LiveStreams;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * CSV imports: {@code POST} a multipart form with the {@code file}, its column {@code mapping}
 * (JSON) and the {@code mode}; the file is checked and stored, the import is registered and
 * answered at once (202), and the rows are imported in the background.
 */
@RestController
@RequestMapping("/api/contacts/imports")
class ContactImportController {

    static final String NOT_FOUND = "import.not-found";
    private static final Pattern UUID_TEXT = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    /** An import has no version of its own: a view of it, any, shows its start. */
    private static final WritePath.Resource<ContactImportView> IMPORTS = new WritePath.Resource<>(
            "/api/contacts/imports", ContactImportView.class, FindContactImportQuery::new, view -> 0L,
            id -> new NotFoundException(NOT_FOUND, "No import with id " + id));

    private final WritePath writes;
    private final QueryGateway queryGateway;
    private final ObjectMapper objectMapper;
    private final Validator validator;
    private final GatewayProperties.Imports storage;
    private final SharedFiles files;
    private final LiveStreams streams;

    ContactImportController(WritePath writes, QueryGateway queryGateway, ObjectMapper objectMapper,
                            Validator validator, LiveStreams streams,
                            GatewayProperties properties, SharedFiles files) {
        this.writes = writes;
        this.queryGateway = queryGateway;
        this.objectMapper = objectMapper;
        this.validator = validator;
        this.storage = properties.imports();
        this.files = files;
        this.streams = streams;
        if (storage.storage() == GatewayProperties.ImportStorage.S3 && !files.s3Configured()) {
            throw new IllegalStateException("herald.imports.storage=s3 (HERALD_IMPORTS_STORAGE) needs the bucket: set "
                                                    + "herald.files.s3.bucket (HERALD_FILES_S3_BUCKET)");
        }
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ContactImportView> start(@RequestParam("file") MultipartFile file,
                                            @RequestParam("mapping") String mappingJson,
                                            @RequestParam(name = "mode", defaultValue = "UPSERT") String modeText)
            throws IOException {
        ImportMode mode = mode(modeText);
        ContactImportMapping mapping = mapping(mappingJson);
        String importId = UUID.randomUUID().toString();
        ImportUploads.Upload upload;
        try (InputStream in = file.getInputStream()) {
            upload = switch (storage.storage()) {
                case DATABASE -> ImportUploads.receive(in, files, SharedFiles.Store.DATABASE, importId);
                case S3 -> ImportUploads.receive(in, files, SharedFiles.Store.S3, importId);
                case DIRECTORY -> ImportUploads.receive(in, storage.directory(), importId);
            };
        }
        String name = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
                ? "upload.csv" : clip(file.getOriginalFilename(), 255);
        Optional<ContactImportView> view;
        try {
            view = writes.sendAndAwait(IMPORTS, importId, new StartContactImportCommand(
                    importId, name, upload.file(), upload.size(), upload.columns(), mapping, mode), null);
        } catch (RuntimeException e) {
            files.delete(upload.file());
            throw e;
        }
        return writes.accepted(IMPORTS, importId, view);
    }

    private static ImportMode mode(String text) {
        try {
            return ImportMode.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("mode", "import.mode.invalid", "mode must be CREATE_ONLY or UPSERT");
        }
    }

    private ContactImportMapping mapping(String json) {
        ContactImportMapping mapping;
        try {
            mapping = objectMapper.readValue(json, ContactImportMapping.class);
        } catch (JsonProcessingException e) {
            throw DomainException.invalid("mapping", "import.mapping.invalid",
                                          "mapping must be a JSON object such as {\"email\":\"Email\",\"attributes\":[…]}: "
                                                  + e.getOriginalMessage());
        }
        if (mapping == null) {
            throw DomainException.invalid("mapping", "import.mapping.invalid", "mapping is required");
        }
        Set<ConstraintViolation<ContactImportMapping>> violations = validator.validate(mapping);
        if (!violations.isEmpty()) {
            ConstraintViolation<ContactImportMapping> first = violations.iterator().next();
            throw DomainException.invalid("mapping." + first.getPropertyPath(), "import.mapping.invalid",
                                          "mapping." + first.getPropertyPath() + " " + first.getMessage());
        }
        return mapping;
    }

    @GetMapping("/{id}")
    ContactImportView get(@PathVariable String id) {
        ContactImportView view = find(id);
        if (view == null) {
            throw new NotFoundException(NOT_FOUND, "No import with id " + id);
        }
        return view;
    }

    /** Server-sent events: {@code import} with the same body as {@code GET …/{id}}, until the import ends. */
    @GetMapping(value = "/{id}/stream", produces = "text/event-stream")
    SseEmitter stream(@PathVariable String id) {
        return streams.contactImport(id, get(id), () -> find(id));
    }

    /** Every rejected row as CSV ({@code row,code,reason}), streamed page by page. */
    @GetMapping(value = "/{id}/rejections.csv", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> rejections(@PathVariable String id) {
        if (find(id) == null) {
            throw new NotFoundException(NOT_FOUND, "No import with id " + id);
        }
        String importId = id.toLowerCase(Locale.ROOT);
        StreamingResponseBody body = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write("row,code,reason\r\n");
            long after = 0;
            while (true) {
                List<RejectedRow> rows = Queries.join(queryGateway.query(
                        new FindContactImportRejectionsQuery(importId, after, 5000),
                        ResponseTypes.multipleInstancesOf(RejectedRow.class)));
                for (RejectedRow row : rows) {
                    writer.write(row.rowNumber() + "," + csv(row.code()) + "," + csv(row.reason()) + "\r\n");
                }
                if (rows.size() < 5000) {
                    break;
                }
                after = rows.get(rows.size() - 1).rowNumber();
            }
            writer.flush();
        };
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-" + importId + "-rejections.csv\"")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(body);
    }

    private ContactImportView find(String id) {
        if (!UUID_TEXT.matcher(id).matches()) {
            return null;
        }
        return Queries.join(queryGateway.query(new FindContactImportQuery(id.toLowerCase(Locale.ROOT)),
                                               ResponseTypes.instanceOf(ContactImportView.class)));
    }

    static String csv(String value) {
        if (value == null) {
            return "";
        }
        String text = value;
        // a cell that a spreadsheet would run as a formula is quoted with a leading apostrophe
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    static HttpStatus accepted() {
        return HttpStatus.ACCEPTED;
    }
}
