package io.herald.eventstore.serialization;

import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;

import java.util.Arrays;

/**
 * A serializer that reuses the last metadata it wrote and the last it read. The events of one
 * command carry the same metadata (actor, correlation, causation and trace ids): an import batch
 * appends 1,001 events with equal metadata, a tracking request 100, and the processors read them
 * back in that order. Jackson then wrote and parsed the same few keys once per event; here an
 * equal {@link MetaData} is answered with the bytes written for the previous one, and equal bytes
 * with the {@code MetaData} read from them (both immutable). Everything else goes to the delegate.
 * <p>
 * One slot per direction, shared by all threads: a thread that finds another thread's entry just
 * misses and replaces it. The slots hold one small map and its bytes, never more.
 */
final class MetaDataReusingSerializer implements Serializer {

    private record Written(MetaData metaData, SerializedObject<?> serialized) {
    }

    private record Read(byte[] data, MetaData metaData) {
    }

    private static final String META_DATA_TYPE = MetaData.class.getName();

    private final Serializer delegate;
    private volatile Written lastWritten;
    private volatile Read lastRead;

    MetaDataReusingSerializer(Serializer delegate) {
        this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (!(object instanceof MetaData metaData) || expectedRepresentation != byte[].class) {
            return delegate.serialize(object, expectedRepresentation);
        }
        Written last = lastWritten;
        if (last != null && last.metaData().equals(metaData)) {
            return (SerializedObject<T>) last.serialized();
        }
        SerializedObject<T> serialized = delegate.serialize(metaData, expectedRepresentation);
        lastWritten = new Written(metaData, serialized);
        return serialized;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        if (!(serializedObject.getData() instanceof byte[] data)
                || !META_DATA_TYPE.equals(serializedObject.getType().getName())) {
            return delegate.deserialize(serializedObject);
        }
        Read last = lastRead;
        if (last != null && Arrays.equals(last.data(), data)) {
            return (T) last.metaData();
        }
        T metaData = delegate.deserialize(serializedObject);
        if (metaData instanceof MetaData read) {
            lastRead = new Read(data, read);
        }
        return metaData;
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return delegate.canSerializeTo(expectedRepresentation);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        return delegate.classForType(type);
    }

    @Override
    public SerializedType typeForClass(Class type) {
        return delegate.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return delegate.getConverter();
    }
}
