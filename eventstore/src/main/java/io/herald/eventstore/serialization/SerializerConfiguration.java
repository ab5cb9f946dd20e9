package io.herald.eventstore.serialization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Herald's one Axon serializer (see {@link #heraldSerializer()}). */
@Configuration(proxyBeanMethods = false)
public class SerializerConfiguration {

    @Bean
    @Primary
    Serializer serializer() {
        return heraldSerializer();
    }

    /**
     * One Jackson serializer for events, messages, tokens, sagas and deadlines. It has its own
     * ObjectMapper: tolerant of unknown fields (events evolve), with ISO dates, no default typing,
     * and independent of the strict mapper the REST API uses. Equal metadata of consecutive events
     * is written and read once ({@link MetaDataReusingSerializer}).
     */
    public static Serializer heraldSerializer() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return new MetaDataReusingSerializer(
                JacksonSerializer.builder().objectMapper(mapper).lenientDeserialization().build());
    }
}
