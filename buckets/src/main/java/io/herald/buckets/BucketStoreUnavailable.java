package io.herald.buckets;

/** The shared bucket store (Redis) cannot be reached or failed a call: the caller falls back or fails fast. */
public final class BucketStoreUnavailable extends RuntimeException {

    public BucketStoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
