package io.herald.eventstore.serialization;

import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetaDataReusingSerializerTest {

    private final Serializer serializer = SerializerConfiguration.heraldSerializer();

    @Test
    void equalMetaDataIsWrittenOnceAndReadBackEqual() {
        MetaData first = MetaData.with("actor", "user:1").and("correlationId", "c-1");
        MetaData equal = MetaData.with("correlationId", "c-1").and("actor", "user:1");

        SerializedObject<byte[]> a = serializer.serialize(first, byte[].class);
        SerializedObject<byte[]> b = serializer.serialize(equal, byte[].class);

        assertThat(b).isSameAs(a);
        assertThat(serializer.<byte[], MetaData>deserialize(b)).isEqualTo(first);
    }

    @Test
    void differentMetaDataGetsItsOwnBytes() {
        SerializedObject<byte[]> a = serializer.serialize(MetaData.with("correlationId", "c-1"), byte[].class);
        SerializedObject<byte[]> b = serializer.serialize(MetaData.with("correlationId", "c-2"), byte[].class);

        assertThat(new String(b.getData(), StandardCharsets.UTF_8)).contains("c-2").doesNotContain("c-1");
        assertThat(serializer.<byte[], MetaData>deserialize(a)).isEqualTo(MetaData.with("correlationId", "c-1"));
        assertThat(serializer.<byte[], MetaData>deserialize(b)).isEqualTo(MetaData.with("correlationId", "c-2"));
    }

    @Test
    void equalBytesAreReadOnceAndDifferentBytesAreReadAgain() {
        SerializedObject<byte[]> written = serializer.serialize(MetaData.with("actor", "user:1"), byte[].class);
        byte[] copy = written.getData().clone();

        MetaData first = serializer.deserialize(written);
        MetaData again = serializer.deserialize(new SimpleSerializedObject<>(copy, byte[].class, written.getType()));
        assertThat(again).isSameAs(first);

        byte[] other = "{\"actor\":\"user:2\"}".getBytes(StandardCharsets.UTF_8);
        MetaData read = serializer.deserialize(new SimpleSerializedObject<>(other, byte[].class, written.getType()));
        assertThat(read).isEqualTo(MetaData.from(Map.of("actor", "user:2")));
    }

    @Test
    void otherObjectsGoStraightThrough() {
        record Payload(String name) {
        }
        SerializedObject<byte[]> written = serializer.serialize(new Payload("x"), byte[].class);
        assertThat(serializer.<byte[], Payload>deserialize(written)).isEqualTo(new Payload("x"));
        assertThat(serializer.serialize(Map.of("k", "v"), byte[].class))
                .isNotSameAs(serializer.serialize(Map.of("k", "v"), byte[].class));
    }
}
