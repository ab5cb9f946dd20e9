package io.herald.gateway.contact;

import io.herald.api.common.DomainException;
import io.herald.eventstore.database.SharedFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Receives an import's CSV: streams it to where it waits for its import (PostgreSQL, shared by every
 * instance, or the imports directory) in 64 KiB pieces (never the whole file in memory), checking on the
 * way that it is text in UTF-8 (a BOM is allowed) and that its first record is a usable header. A bad file
 * is refused and what was written of it removed.
 */
final class ImportUploads {

    static final int HEADER_CHARS = 1 << 20;

    /** The stored file (a location {@link SharedFiles} reads) and its header. */
    record Upload(String file, long size, List<String> columns) {
    }

    /** Into the shared files (PostgreSQL, or S3 where configured). */
    static Upload receive(InputStream in, SharedFiles files, SharedFiles.Store store, String importId)
            throws IOException {
        String location = files.location(store, "import/" + importId + ".csv");
        try {
            Received received;
            try (OutputStream out = files.create(store, "import/" + importId + ".csv")) {
                received = copy(in, out);
            }
            return new Upload(location, received.size(), header(received.head()));
        } catch (IOException | RuntimeException e) {
            files.delete(location);
            throw e;
        }
    }

    private record Received(long size, String head) {
    }

    private ImportUploads() {
    }

    /** Into the imports directory, on this instance's disk. */
    static Upload receive(InputStream in, Path directory, String importId) throws IOException {
        Files.createDirectories(directory);
        Path part = directory.resolve(importId + ".csv.part");
        Path file = directory.resolve(importId + ".csv");
        Received received;
        try (OutputStream out = Files.newOutputStream(part)) {
            received = copy(in, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        try {
            List<String> columns = header(received.head());
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Upload(file.toString(), received.size(), columns);
        } catch (RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
    }

    private static Received copy(InputStream in, OutputStream out) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder head = new StringBuilder();
        byte[] buffer = new byte[1 << 16];
        ByteBuffer pending = ByteBuffer.allocate((1 << 16) + 8);
        CharBuffer chars = CharBuffer.allocate(1 << 16);
        long size = 0;
        {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == 0) {
                        throw refuse("import.file.not-csv", "The file is not CSV text (it contains binary data)");
                    }
                }
                out.write(buffer, 0, n);
                pending.put(buffer, 0, n);
                pending.flip();
                decode(decoder, pending, chars, head, false, size);
                pending.compact();
                size += n;
            }
            pending.flip();
            decode(decoder, pending, chars, head, true, size);
        }
        return new Received(size, head.toString());
    }

    private static void decode(CharsetDecoder decoder, ByteBuffer bytes, CharBuffer chars, StringBuilder head,
                               boolean end, long offset) {
        while (true) {
            CoderResult result = decoder.decode(bytes, chars, end);
            if (result.isError()) {
                throw new DomainException(DomainException.Kind.INVALID, "import.file.encoding",
                                          "The file is not UTF-8 text (invalid byte near offset "
                                                  + (offset + bytes.position()) + ")",
                                          "file", Map.of("offset", offset + bytes.position()));
            }
            chars.flip();
            if (head.length() < HEADER_CHARS) {
                head.append(chars, 0, Math.min(chars.remaining(), HEADER_CHARS - head.length()));
            }
            chars.clear();
            if (result.isUnderflow()) {
                if (end) {
                    decoder.flush(chars);
                }
                return;
            }
        }
    }

    /** The first record's names: at least one, none blank, no duplicates. */
    static List<String> header(String head) {
        String text = head.startsWith("\uFEFF") ? head.substring(1) : head;
        if (text.isBlank()) {
            throw refuse("import.file.no-header", "The file is empty: it needs a header row naming its columns");
        }
        try (CSVParser parser = CSVFormat.RFC4180.parse(new StringReader(text))) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                throw refuse("import.file.no-header", "The file has no header row");
            }
            List<String> columns = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String name : records.next()) {
                if (name == null || name.isBlank()) {
                    throw refuse("import.file.no-header", "The header row has an empty column name");
                }
                if (!seen.add(name)) {
                    throw refuse("import.file.duplicate-column", "The header names column '" + name + "' twice");
                }
                columns.add(name);
            }
            return columns;
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw refuse("import.file.not-csv", "The header row is not valid CSV");
        }
    }

    private static DomainException refuse(String code, String message) {
        return DomainException.invalid("file", code, message);
    }
}
