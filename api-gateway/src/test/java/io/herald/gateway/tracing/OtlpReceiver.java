package io.herald.gateway.tracing;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver (what Jaeger listens with on 4318): {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest}, decoded and kept for the test's assertions.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span: ids as lower-case hex (parent empty for a root), attributes as text. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
                        Map<String, String> attributes, List<String> linkedSpanIds) {

        boolean isRoot() {
            return parentSpanId.isEmpty();
        }
    }

    private final HttpServer server;
    final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/traces", exchange -> {
            byte[] body;
            InputStream in = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new GZIPInputStream(in);
            }
            try (InputStream stream = in) {
                body = stream.readAllBytes();
            }
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            int status = 200;
            try {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
                for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                    String service = attributes(resourceSpans.getResource()).getOrDefault("service.name", "");
                    for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                        for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
                            spans.add(new ReceivedSpan(service, hex(span.getTraceId()), hex(span.getSpanId()),
                                    hex(span.getParentSpanId()), span.getName(), span.getKind().name(),
                                    attributes(span.getAttributesList()),
                                    span.getLinksList().stream().map(link -> hex(link.getSpanId())).toList()));
                        }
                    }
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                status = 400;
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
    }

    /** The base URL, without a path (as Jaeger's is given in docker-compose.yml). */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    /** The spans of a trace by id. */
    Map<String, ReceivedSpan> byId(String traceId) {
        return trace(traceId).stream().collect(Collectors.toMap(ReceivedSpan::spanId, span -> span, (a, b) -> a,
                                                                LinkedHashMap::new));
    }

    private static Map<String, String> attributes(Resource resource) {
        return attributes(resource.getAttributesList());
    }

    private static Map<String, String> attributes(List<KeyValue> values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue value : values) {
            map.put(value.getKey(), text(value.getValue()));
        }
        return map;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString();
        };
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
