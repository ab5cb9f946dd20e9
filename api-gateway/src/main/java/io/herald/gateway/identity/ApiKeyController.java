package io.herald.gateway.identity;

import io.herald.gateway.security.HeraldAuthentication;
import io.herald.identity.apikey.ApiKeyService;
import io.herald.identity.apikey.ApiKeyStore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** API keys for machines (ADMIN only). */
@RestController
@RequestMapping("/api/api-keys")
class ApiKeyController {

    record CreateRequest(@NotBlank @Size(max = 200) String label, @NotEmpty Set<@NotBlank String> scopes,
                         Instant expiresAt) {
    }

    /** The created key; {@code key} is the secret, shown only in this response. */
    record Created(UUID id, String key, String prefix, String label, Set<String> scopes, Instant createdAt,
                   Instant expiresAt) {
    }

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    @PostMapping
    ResponseEntity<Created> create(@Valid @RequestBody CreateRequest request, HeraldAuthentication admin) {
        ApiKeyService.CreatedKey created = keys.create(admin.getPrincipal().actor(), request.label(),
                                                       request.scopes(), request.expiresAt());
        ApiKeyStore.ApiKey key = created.key();
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Cache-Control", "no-store")
                .body(new Created(key.id(), created.secret(), key.prefix(), key.label(), key.scopes(), key.createdAt(),
                                  key.expiresAt()));
    }

    @GetMapping
    List<ApiKeyStore.ApiKey> list() {
        return keys.list();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        keys.revoke(id);
        return ResponseEntity.noContent().build();
    }
}
