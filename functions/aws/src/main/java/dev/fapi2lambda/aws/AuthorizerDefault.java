package dev.fapi2lambda.aws;

import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.resource.KeySource;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The authorizer from its environment: ISSUER, API_AUDIENCE, JWKS_URI (default ISSUER/jwks),
 * RESOURCE_BASE_URL and RESOURCE_MTLS_BASE_URL (the API's public origins, for htu), TABLE_NAME
 * (DPoP replay guard, nonces, revocation), REVOCATION_CHECK (true) and REVOCATION_CACHE_SECONDS
 * (5). It never touches KMS.
 */
final class AuthorizerDefault {
    /** The container's authorizer, on the system clock: built when the no-argument constructor first runs. */
    static final class Container {
        static final DpopAuthorizerFunction AUTHORIZER = authorizer(Environment.system());

        private Container() {
        }
    }

    private AuthorizerDefault() {
    }

    private static DpopAuthorizerFunction authorizer(Environment env) {
        return build(env, env::itemStore, Clock.systemUTC());
    }

    static DpopAuthorizerFunction build(Environment env, Supplier<ItemStore> items, Clock clock) {
        ServerConfig config = env.serverConfig();
        KeySource keys = KeySource.http(URI.create(env.optional("JWKS_URI").orElse(config.issuer() + "/jwks")), clock);
        AccessTokenVerifier verifier = new AccessTokenVerifier(config.issuer(), env.require("API_AUDIENCE"), keys,
                keys::forUnknownKid, config.maxFutureSkew());
        Components components = new Components(config, items, () -> {
            throw new IllegalStateException("the authorizer signs nothing");
        }, clock, new SecureRandom());
        boolean revocation = !"false".equals(env.optional("REVOCATION_CHECK").orElse("true"));
        Duration cache = Duration.ofSeconds(Long.parseLong(env.optional("REVOCATION_CACHE_SECONDS").orElse("5")));
        return new DpopAuthorizerFunction(
                components.resourceValidator(verifier, revocation ? Optional.of(cache) : Optional.empty()),
                DpopAuthorizerFunction.resourceUrls(env.require("RESOURCE_BASE_URL"), env.optional("RESOURCE_MTLS_BASE_URL")));
    }
}
