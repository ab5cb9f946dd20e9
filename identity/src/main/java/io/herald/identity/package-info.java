/**
 * Identity: operator accounts and invitations, refresh tokens, API keys, Herald's JWT signing key,
 * login throttling, and the principals (users, keys) that requests are made by. No web layer: the
 * gateway's controllers and security filters call these services.
 * <p>
 * Tables: {@code app_user}, {@code invitation}, {@code refresh_token}, {@code api_key} and
 * {@code jwt_signing_key}, created by {@code db/migration/V10__identity.sql} in this module's
 * resources: the path and bytes it was applied with, so Flyway finds it with its recorded checksum.
 * New identity migrations go to {@code db/identity-migration}, versions 2000 to 2999 (its
 * {@code flyway-range.properties}; README, "Migrations").
 */
package io.herald.identity;
