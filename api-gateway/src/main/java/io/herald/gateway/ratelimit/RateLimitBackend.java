package io.herald.gateway.ratelimit;

/** Token buckets by key: shared through Redis, or in this process. */
public interface RateLimitBackend {

    /** Takes {@code tokens} from the bucket if it has them. */
    Probe consume(String key, Limit limit, long tokens);

    /** Looks without taking. */
    Probe peek(String key, Limit limit);

    /** {@code redis} or {@code in-memory}. */
    String kind();
}
