package io.herald.gateway.security;

import io.herald.gateway.ratelimit.RateLimiter;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.support.TestRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rate limits held in Redis: one limit across two instances; the API keeps serving while Redis is down. */
class RateLimitIT {

    private static String[] limits(String redisUrl, long readLimit, long authLimit) {
        return new String[] {
                "herald.redis.url=" + redisUrl,
                "herald.rate-limits.enabled=true",
                "herald.rate-limits.groups[0].name=auth",
                "herald.rate-limits.groups[0].paths[0]=/api/auth/**",
                "herald.rate-limits.groups[0].per=IP",
                "herald.rate-limits.groups[0].limit=" + authLimit,
                // per-address buckets outlive a test run in a shared Redis: a period of its own keeps runs apart
                "herald.rate-limits.groups[0].period=" + (3600 + System.nanoTime() % 100_000) + "s",
                "herald.rate-limits.groups[1].name=read",
                "herald.rate-limits.groups[1].paths[0]=/api/**",
                "herald.rate-limits.groups[1].methods[0]=GET",
                "herald.rate-limits.groups[1].per=PRINCIPAL",
                "herald.rate-limits.groups[1].limit=" + readLimit,
                "herald.rate-limits.groups[1].period=1h"};
    }

    @Test
    void oneLimit_holdsAcrossTwoInstancesSharingRedis() {
        String database = TestDatabases.newDatabase();
        String redis = TestRedis.url();
        try (HeraldInstance a = HeraldInstance.start(database, limits(redis, 10, 1000));
             HeraldInstance b = HeraldInstance.start(database, limits(redis, 10, 1000))) {
            ApiClient apiA = TestAuth.asAdmin(a.api());
            ApiClient apiB = b.api().withHeader("Authorization", apiA.defaultHeader("Authorization"));
            List<Integer> statuses = new ArrayList<>();
            List<String> remaining = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                var response = (i % 2 == 0 ? apiA : apiB).get("/api/campaigns");
                statuses.add(response.status());
                remaining.add(response.header("RateLimit-Remaining"));
            }
            assertThat(statuses.subList(0, 10)).containsOnly(200);
            assertThat(statuses.subList(10, 12)).containsOnly(429);
            assertThat(remaining.subList(0, 10)).containsExactly("9", "8", "7", "6", "5", "4", "3", "2", "1", "0");
            var refused = apiB.get("/api/campaigns");
            assertThat(refused.json().get("code").asText()).isEqualTo("rate-limited");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
            assertThat(refused.header("RateLimit-Limit")).isEqualTo("10");
            assertThat(refused.header("RateLimit-Policy")).contains("10;w=3600");
        }
    }

    @Test
    void authEndpoints_areLimitedPerClientAddress() {
        try (HeraldInstance herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                                          limits(TestRedis.url(), 1000, 5))) {
            ApiClient api = herald.api();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                statuses.add(api.post("/api/auth/refresh", "{\"refreshToken\":\"nope-" + i + "\"}").status());
            }
            assertThat(statuses.subList(0, 5)).containsOnly(401);
            assertThat(statuses.subList(5, 7)).containsOnly(429);
        }
    }

    @Test
    void whenRedisGoesDown_theApiKeepsServing_andLimitsComeBackWithIt() {
        TestRedis.PrivateRedis redis = TestRedis.startPrivate();
        try (HeraldInstance herald = HeraldInstance.start(TestDatabases.newDatabase(), limits(redis.url(), 1000, 1000))) {
            ApiClient api = TestAuth.asAdmin(herald.api());
            assertThat(api.get("/api/campaigns").header("RateLimit-Remaining")).isNotNull();
            redis.stop();
            var read = api.get("/api/campaigns");
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.header("RateLimit-Remaining")).isNull();
            var write = api.post("/api/campaigns", io.herald.gateway.campaign.CampaignApiITSupport.EMAIL_BODY);
            assertThat(write.status()).isEqualTo(201);
            assertThat(herald.bean(RateLimiter.class).isBackendDown()).isTrue();
            redis.start();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(api.get("/api/campaigns").header("RateLimit-Remaining")).isNotNull());
            assertThat(herald.bean(RateLimiter.class).isBackendDown()).isFalse();
        } finally {
            redis.stop();
        }
    }
}
