package dev.fapi2lambda.aws;

import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.resource.KeySource;
import dev.fapi2lambda.core.resource.TokenValidator;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The authorizer's container state, from its environment: ISSUER, API_AUDIENCE, JWKS_URI (default
 * ISSUER/jwks), RESOURCE_BASE_URL and RESOURCE_MTLS_BASE_URL (the API's public origins, for htu),
 * TABLE_NAME (DPoP replay guard, nonces, revocation), REVOCATION_CHECK (true) and
 * REVOCATION_CACHE_SECONDS (5). It never touches KMS.
 */
final class AuthorizerDefault {
    static final TokenValidator VALIDATOR;
    static final java.util.function.Function<dev.fapi2lambda.core.http.Request, String> RESOURCE_URL;

    static {
        Environment env = Environment.system();
        ServerConfig config = env.serverConfig();
        Clock clock = Clock.systemUTC();
        KeySource keys = KeySource.http(URI.create(env.optional("JWKS_URI").orElse(config.issuer() + "/jwks")), clock);
        AccessTokenVerifier verifier = new AccessTokenVerifier(config.issuer(), env.require("API_AUDIENCE"), keys,
                keys::forUnknownKid, config.maxFutureSkew());
        Components components = new Components(config, env::itemStore, () -> {
            throw new IllegalStateException("the authorizer signs nothing");
        }, clock, new SecureRandom());
        boolean revocation = !"false".equals(env.optional("REVOCATION_CHECK").orElse("true"));
        Duration cache = Duration.ofSeconds(Long.parseLong(env.optional("REVOCATION_CACHE_SECONDS").orElse("5")));
        VALIDATOR = components.resourceValidator(verifier, revocation ? Optional.of(cache) : Optional.empty());
        RESOURCE_URL = DpopAuthorizerFunction.resourceUrls(env.require("RESOURCE_BASE_URL"),
                env.optional("RESOURCE_MTLS_BASE_URL"));
    }

    private AuthorizerDefault() {
    }
}
