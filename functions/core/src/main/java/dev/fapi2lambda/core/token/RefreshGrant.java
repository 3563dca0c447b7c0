package dev.fapi2lambda.core.token;

import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.http.Form;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 6749 6: the refresh_token grant. FAPI 2.0 SP 5.3.2.1 item 9: no rotation, so the same
 * refresh token keeps working until its grant expires or is revoked; it stays bound to its client
 * and its DPoP key.
 */
public final class RefreshGrant {
    private final ServerConfig config;
    private final Grants grants;
    private final TokenIssuer issuer;
    private final Clock clock;

    public RefreshGrant(ServerConfig config, Grants grants, TokenIssuer issuer, Clock clock) {
        this.config = config;
        this.grants = grants;
        this.issuer = issuer;
        this.clock = clock;
    }

    Map<String, Object> refresh(Form form, Client client, Binding binding) {
        Instant now = clock.instant();
        String refreshToken = form.require("refresh_token");
        int dot = refreshToken.indexOf('.');
        if (dot <= 0) {
            throw CodeGrant.invalidGrant("refresh_token is unknown");
        }
        Grant grant = grants.find(refreshToken.substring(0, dot), now)
                .filter(g -> Hashes.constantTimeEquals(g.refreshHash(), Hashes.sha256Url(refreshToken)))
                .orElseThrow(() -> CodeGrant.invalidGrant("refresh_token is unknown or expired"));
        if (grant.revoked()) {
            throw CodeGrant.invalidGrant("refresh_token has been revoked");
        }
        if (!grant.clientId().equals(client.clientId())) {
            throw CodeGrant.invalidGrant("refresh_token was issued to another client");
        }
        binding.requireKey(grant.dpopJkt());                                          // C-TOK-10: same DPoP key
        binding.requireCertificate(grant.x5t());                                      // C-TOK-10: same certificate
        return TokenEndpoint.response(issuer.accessToken(grant, now), config.accessTokenLifetime().toSeconds(), grant,
                Optional.of(refreshToken), Optional.empty());
    }
}
