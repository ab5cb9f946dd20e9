package io.herald.gateway.identity;

import io.herald.gateway.security.HeraldAuthentication;
import io.herald.identity.Role;
import io.herald.identity.user.IdentityService;
import io.herald.identity.user.InvitationStore;
import io.herald.identity.user.User;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Administration of operator accounts and invitations (ADMIN only). */
@RestController
@RequestMapping("/api/users")
class UserAdminController {

    record RolesRequest(@NotEmpty Set<@NotNull Role> roles) {
    }

    record InvitationRequest(@Email @Size(max = 320) String email, @NotNull Role role) {
    }

    private final IdentityService identity;

    UserAdminController(IdentityService identity) {
        this.identity = identity;
    }

    @GetMapping
    List<User> users() {
        return identity.users();
    }

    @PutMapping("/{id}/roles")
    User roles(@PathVariable UUID id, @Valid @RequestBody RolesRequest request) {
        return identity.changeRoles(id, EnumSet.copyOf(request.roles()));
    }

    @PostMapping("/{id}/deactivate")
    User deactivate(@PathVariable UUID id) {
        return identity.deactivate(id);
    }

    @PostMapping("/{id}/activate")
    User activate(@PathVariable UUID id) {
        return identity.activate(id);
    }

    @GetMapping("/invitations")
    List<InvitationStore.Invitation> invitations() {
        return identity.pendingInvitations();
    }

    /** The token is shown once; the invitee registers with it at {@code POST /api/auth/register}. */
    @PostMapping("/invitations")
    ResponseEntity<IdentityService.IssuedInvitation> invite(@Valid @RequestBody InvitationRequest request,
                                                            HeraldAuthentication admin) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(identity.invite(admin.getPrincipal().actor(), request.email(), request.role()));
    }

    @DeleteMapping("/invitations/{id}")
    ResponseEntity<Void> withdraw(@PathVariable UUID id) {
        identity.withdrawInvitation(id);
        return ResponseEntity.noContent().build();
    }
}
