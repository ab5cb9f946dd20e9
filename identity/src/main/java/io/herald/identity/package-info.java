/**
 * Identity: operator accounts and invitations, refresh tokens, API keys, Herald's JWT signing key,
 * login throttling, and the principals (users, keys) that requests are made by. No web layer: the
 * gateway's controllers and security filters call these services.
 * <p>
 * Tables: {@code app_user}, {@code invitation}, {@code refresh_token}, {@code api_key} and
 * {@code jwt_signing_key}, created by {@code V10__identity.sql} in the application's
 * {@code db/migration}. That file stays where it is, unedited: Flyway checks the checksums of applied
 * migrations. Future identity migrations belong to this module, in its own folder
 * ({@code src/main/resources/db/identity-migration}, added to the application's
 * {@code spring.flyway.locations} with the first one). Flyway keeps one ordered history for all
 * locations, so they take the next free version number of the application's sequence, not a range of
 * their own.
 */
package io.herald.identity;
