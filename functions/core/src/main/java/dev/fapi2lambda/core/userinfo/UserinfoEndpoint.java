package dev.fapi2lambda.core.userinfo;

import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.dpop.DpopNonces;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.resource.TokenValidator;
import dev.fapi2lambda.core.resource.ValidatedToken;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
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
    private final TokenValidator validator;
    private final DpopNonces nonces;
    private final Clock clock;

    public UserinfoEndpoint(ServerConfig config, TokenValidator validator, DpopNonces nonces, Clock clock) {
        this.config = config;
        this.validator = validator;
        this.nonces = nonces;
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
        if (inForm) {
            throw ResourceErrors.invalidRequest("access tokens are accepted only in the Authorization header");
        }
        // Token, sender constraint and revocation: the same validator every resource uses.
        // The user is read in the same request as the revocation check.
        TokenValidator.Validated validated = validator.validate(request,
                config.url(Paths.USERINFO, request.clientCertificate().isPresent()),
                claims -> claims.getSubject() == null ? List.of() : List.of(UserRepository.key(claims.getSubject())));
        ValidatedToken token = validated.token();
        if (!token.scopes().contains("openid")) {
            // OIDC Core 5.3: userinfo serves OpenID Connect tokens only (least privilege).
            throw OAuthException.status(403, "insufficient_scope", "userinfo needs a token with the openid scope")
                    .withHeader("WWW-Authenticate", "DPoP error=\"insufficient_scope\", scope=\"openid\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", token.subject());
        Optional<User> user = Optional.ofNullable(validated.items().get(UserRepository.key(token.subject())))
                .map(UserRepository::fromItem);
        for (String scope : token.scopes()) {
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
