package dev.fapi2lambda.core.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One authorization of a client by a user: the refresh token and every access token belong to it.
 *
 * @param id          random identifier (also the first part of the refresh token)
 * @param clientId    the client
 * @param subject     the end-user
 * @param scopes      the granted scopes
 * @param authTime    when the end-user authenticated
 * @param dpopJkt     the DPoP key every token of the grant is bound to
 * @param x5t         the client certificate (x5t#S256) every token of the grant is bound to
 * @param refreshHash SHA-256 of the refresh token
 * @param revoked     true once revoked (code replay, revocation)
 * @param expiresAt   when the grant and its refresh token end
 */
public record Grant(String id, String clientId, String subject, List<String> scopes, Instant authTime,
                    Optional<String> dpopJkt, Optional<String> x5t, String refreshHash, boolean revoked, Instant expiresAt) {
    public Grant {
        scopes = List.copyOf(scopes);
    }
}
