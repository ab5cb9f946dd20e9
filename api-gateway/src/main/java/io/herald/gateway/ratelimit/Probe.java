package io.herald.gateway.ratelimit;

/**
 * The answer of a bucket.
 *
 * @param allowed          whether the request may go on
 * @param remaining        tokens left after it
 * @param secondsToRefill  seconds until the bucket is full again ({@code RateLimit-Reset})
 * @param retryAfterSeconds when refused: seconds until one token is back ({@code Retry-After})
 */
public record Probe(boolean allowed, long remaining, long secondsToRefill, long retryAfterSeconds) {
}
