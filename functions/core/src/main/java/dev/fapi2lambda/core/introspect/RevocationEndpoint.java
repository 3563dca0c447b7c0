package dev.fapi2lambda.core.introspect;

import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientAuthentication;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.resource.RevocationCheck;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * RFC 7009 token revocation, with the token endpoint's client authentication. A refresh token
 * revokes its whole grant (every access token of it fails where revocation is checked); an
 * access token records its jti until it expires. Unknown or already invalid tokens answer 200
 * (RFC 7009 2.2); a token of another client is refused.
 */
public final class RevocationEndpoint implements Endpoint {
    private final ServerConfig config;
    private final ClientAuthentication clientAuthentication;
    private final TokenLookup lookup;
    private final Grants grants;
    private final ItemStore store;
    private final Clock clock;

    public RevocationEndpoint(ServerConfig config, ClientAuthentication clientAuthentication, AccessTokenVerifier verifier,
                              RevocationCheck revocation, Grants grants, ItemStore store, Clock clock) {
        this.config = config;
        this.clientAuthentication = clientAuthentication;
        this.lookup = new TokenLookup(verifier, revocation, grants);
        this.grants = grants;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Response handle(Request request) {
        if (!request.isPost()) {
            throw OAuthException.methodNotAllowed("POST");                                   // RFC 7009 2.1
        }
        Form form = Form.of(request, config.maxBodyBytes());
        Client client = clientAuthentication.authenticate(request, form);
        String token = form.require("token");
        Instant now = clock.instant();
        var found = lookup.find(token, now);
        if (found.isEmpty()) {
            return Response.json(200, Map.of());                                            // RFC 7009 2.2
        }
        if (!found.get().clientId().equals(client.clientId())) {
            throw OAuthException.unauthorizedClient("the token was not issued to this client");  // RFC 7009 2.1
        }
        found.get().grant().ifPresent(grant -> grants.revoke(grant.id(), now));
        found.get().accessToken().ifPresent(claims -> store.put(Item.of(RevocationCheck.revokedTokenKey(claims.getJWTID()))
                .put("revokedAt", now.getEpochSecond())
                .expiresAt(claims.getExpirationTime().toInstant()).build()));
        return Response.json(200, Map.of());
    }
}
