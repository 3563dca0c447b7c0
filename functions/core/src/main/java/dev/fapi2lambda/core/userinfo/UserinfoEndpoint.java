package dev.fapi2lambda.core.userinfo;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.dpop.DpopNonces;
import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.token.Grant;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.token.TokenIssuer;
import dev.fapi2lambda.core.user.User;
import dev.fapi2lambda.core.user.UserRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenID Connect UserInfo, the first protected resource: a DPoP-bound access token in the
 * Authorization header (RFC 9449 7), its proof with ath, the server nonce, and a grant that is
 * not revoked. Claims are released by scope (OIDC Core 5.4).
 */
public final class UserinfoEndpoint implements Endpoint {
    private static final Map<String, List<String>> CLAIMS_BY_SCOPE = Map.of(
            "profile", List.of("name", "given_name", "family_name"),
            "email", List.of("email", "email_verified"));
    private final ServerConfig config;
    private final AccessTokenVerifier verifier;
    private final DpopProofValidator dpop;
    private final DpopNonces nonces;
    private final Grants grants;
    private final UserRepository users;
    private final Clock clock;

    public UserinfoEndpoint(ServerConfig config, AccessTokenVerifier verifier, DpopProofValidator dpop, DpopNonces nonces,
                            Grants grants, UserRepository users, Clock clock) {
        this.config = config;
        this.verifier = verifier;
        this.dpop = dpop;
        this.nonces = nonces;
        this.grants = grants;
        this.users = users;
        this.clock = clock;
    }

    @Override
    public Response handle(Request request) {
        if (!"GET".equals(request.method()) && !request.isPost()) {
            throw OAuthException.methodNotAllowed("GET, POST");
        }
        Instant now = clock.instant();
        boolean inForm = request.isPost() && request.headers().mediaType().filter("application/x-www-form-urlencoded"::equals)
                .isPresent() && Form.of(request, config.maxBodyBytes()).has("access_token");
        if (request.query().containsKey("access_token") || inForm) {
            // FAPI 2.0 SP 5.3.3 / RFC 6750 2.3: never in the query.
            throw ResourceErrors.invalidRequest("access tokens are accepted only in the Authorization header");
        }
        ResourceErrors.Presented presented = ResourceErrors.token(request);
        JWTClaimsSet claims = verifier.verify(presented.token(), now)
                .orElseThrow(() -> ResourceErrors.invalidToken("the access token is invalid or expired"));
        SenderCheck.check(claims, presented, request,
                () -> dpop.validate(request, ResourceErrors.expectation(
                        config.url(Paths.USERINFO, request.clientCertificate().isPresent()), presented.token())));
        Optional<Grant> grant = Optional.ofNullable(claims.getClaim(TokenIssuer.GRANT_CLAIM))
                .map(String::valueOf).flatMap(id -> grants.find(id, now));
        if (grant.isEmpty() || grant.get().revoked()) {
            throw ResourceErrors.invalidToken("the grant of this access token has been revoked");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", claims.getSubject());
        Optional<User> user = users.find(claims.getSubject(), now);
        for (String scope : grant.get().scopes()) {
            for (String claim : CLAIMS_BY_SCOPE.getOrDefault(scope, List.of())) {
                user.map(u -> u.claims().get(claim)).ifPresent(v -> body.put(claim,
                        "email_verified".equals(claim) ? Boolean.valueOf(v) : v));
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        nonces.current(now).ifPresent(n -> headers.put("DPoP-Nonce", n));
        return Response.json(200, body, headers);
    }
}
