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
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 7662 token introspection, with the token endpoint's client authentication. A token is shown
 * only to the client it was issued to or to a client registered as a resource server; to anyone
 * else, and for anything unknown, expired or revoked, the answer is {"active": false}.
 */
public final class IntrospectionEndpoint implements Endpoint {
    private final ServerConfig config;
    private final ClientAuthentication clientAuthentication;
    private final TokenLookup lookup;
    private final Clock clock;

    public IntrospectionEndpoint(ServerConfig config, ClientAuthentication clientAuthentication,
                                 AccessTokenVerifier verifier, RevocationCheck revocation, Grants grants, Clock clock) {
        this.config = config;
        this.clientAuthentication = clientAuthentication;
        this.lookup = new TokenLookup(verifier, revocation, grants);
        this.clock = clock;
    }

    @Override
    public Response handle(Request request) {
        if (!request.isPost()) {
            throw OAuthException.methodNotAllowed("POST");                                   // RFC 7662 2.1
        }
        Form form = Form.of(request, config.maxBodyBytes());
        Client client = clientAuthentication.authenticate(request, form);                      // RFC 7662 2.1
        String token = form.require("token");
        Map<String, Object> body = lookup.find(token, clock.instant())
                .filter(found -> client.resourceServer() || found.clientId().equals(client.clientId()))
                .map(found -> {
                    Map<String, Object> active = new LinkedHashMap<>();
                    active.put("active", true);
                    active.putAll(found.claims());
                    return active;
                })
                .orElseGet(() -> Map.of("active", false));                                  // RFC 7662 2.2
        return Response.json(200, body);
    }
}
