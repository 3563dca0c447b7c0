package dev.fapi2lambda.aws;

import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.client.ClientAuthentication;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.discovery.DiscoveryEndpoint;
import dev.fapi2lambda.core.dpop.DpopNonces;
import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.keys.JwksEndpoint;
import dev.fapi2lambda.core.keys.KeyService;
import dev.fapi2lambda.core.par.ParEndpoint;
import dev.fapi2lambda.core.par.PushedRequests;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.authorize.AuthorizeEndpoint;
import dev.fapi2lambda.core.dpop.WindowedDpopNonces;
import dev.fapi2lambda.core.keys.JwtSigner;
import dev.fapi2lambda.core.token.AuthorizationCodes;
import dev.fapi2lambda.core.token.CodeGrant;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.token.RefreshGrant;
import dev.fapi2lambda.core.token.TokenEndpoint;
import dev.fapi2lambda.core.token.TokenIssuer;
import dev.fapi2lambda.core.user.UserRepository;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import dev.fapi2lambda.core.userinfo.UserinfoEndpoint;
import dev.fapi2lambda.core.resource.RevocationCheck;
import dev.fapi2lambda.core.introspect.IntrospectionEndpoint;
import dev.fapi2lambda.core.introspect.RevocationEndpoint;
import dev.fapi2lambda.core.resource.TokenValidator;
import java.time.Duration;
import java.util.Optional;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The composition root: builds each endpoint from its collaborators. In Lambda it is built once
 * per container, in static initialisation, from the environment (so SnapStart captures it warm);
 * the local server and tests build it from local parts. Only what an endpoint needs is touched:
 * discovery never reaches KMS or DynamoDB, JWKS never reaches DynamoDB.
 */
public final class Components {
    static final Duration CLIENT_CACHE = Duration.ofSeconds(30);
    private final ServerConfig config;
    private final Supplier<ItemStore> store;
    private final Supplier<KeyService> keys;
    private final Clock clock;
    private final Secrets secrets;
    private final CertificateTrust trust;
    private final Supplier<DpopNonces> nonces;
    /** One client cache per container: 30 s (see ClientRepository). */
    private final Supplier<ClientRepository> clients;

    public Components(ServerConfig config, Supplier<ItemStore> store, Supplier<KeyService> keys, Clock clock,
                      SecureRandom random) {
        this(config, store, keys, clock, random, CertificateTrust.none());
    }

    /**
     * @param trust the CAs a tls_client_auth certificate must chain to (RFC 8705 2.1)
     */
    public Components(ServerConfig config, Supplier<ItemStore> store, Supplier<KeyService> keys, Clock clock,
                      SecureRandom random, CertificateTrust trust) {
        this.trust = trust;
        this.config = config;
        this.store = memoize(store);
        this.keys = memoize(keys);
        this.clock = clock;
        this.secrets = new Secrets(random);
        this.clients = memoize(() -> new ClientRepository(this.store.get(), CLIENT_CACHE));
        this.nonces = memoize(() -> config.dpopNonces()
                ? new WindowedDpopNonces(this.store.get(), secrets, config.dpopNonceWindow())
                : DpopNonces.NOT_REQUIRED);
    }

    /** Lambda: everything from the environment variables template.yaml sets. */
    public static Components fromEnvironment() {
        Environment env = Environment.system();
        return new Components(env.serverConfig(), env::itemStore, env::keyService, Clock.systemUTC(), new SecureRandom(),
                env.certificateTrust());
    }

    public ServerConfig config() {
        return config;
    }

    public ItemStore store() {
        return store.get();
    }

    public KeyService keys() {
        return keys.get();
    }

    public Endpoint discovery() {
        return new DiscoveryEndpoint(config);
    }

    public Endpoint jwks() {
        return new JwksEndpoint(keys.get());
    }

    public Endpoint par() {
        return new ParEndpoint(config, clientAuthentication(), dpopValidator(), new PushedRequests(store.get()), secrets,
                clock);
    }

    public Endpoint authorize() {
        ItemStore items = store.get();
        return new AuthorizeEndpoint(config, clients.get(), new PushedRequests(items), items,
                new AuthorizationCodes(items, secrets), secrets, clock);
    }

    public Endpoint token() {
        ItemStore items = store.get();
        Grants grants = new Grants(items);
        TokenIssuer issuer = new TokenIssuer(config, new JwtSigner(keys.get()), secrets);
        return new TokenEndpoint(config, clientAuthentication(), dpopValidator(), nonces.get(),
                new CodeGrant(config, new AuthorizationCodes(items, secrets), grants, issuer, clock),
                new RefreshGrant(config, grants, issuer, clock), clock);
    }

    public Endpoint userinfo() {
        return new UserinfoEndpoint(config, tokenValidator(Duration.ZERO), nonces.get(), clock);
    }

    /** RFC 7662 introspection. */
    public Endpoint introspect() {
        ItemStore items = store.get();
        return new IntrospectionEndpoint(config, clientAuthentication(), ownTokens(), new RevocationCheck(items, Duration.ZERO),
                new Grants(items), clock);
    }

    /** RFC 7009 revocation. */
    public Endpoint revoke() {
        ItemStore items = store.get();
        return new RevocationEndpoint(config, clientAuthentication(), ownTokens(), new RevocationCheck(items, Duration.ZERO),
                new Grants(items), items, clock);
    }

    /**
     * A resource's validator (the Lambda authorizer, any resource server): tokens verified by
     * {@code verifier} (usually over the issuer's JWKS), DPoP proofs with this table's replay guard
     * and nonces, revocation read from the table when {@code revocationCache} is present.
     */
    public TokenValidator resourceValidator(AccessTokenVerifier verifier, Optional<Duration> revocationCache) {
        return new TokenValidator(verifier, dpopValidator(),
                revocationCache.map(cache -> new RevocationCheck(store.get(), cache)), clock);
    }

    /**
     * This server's access tokens, verified with its own public keys. The key service is built here,
     * during init (KMS: its client and GetPublicKey), not on the first request: a SnapStart snapshot
     * then holds the keys, and a restored container asks KMS for nothing before it can answer.
     */
    private AccessTokenVerifier ownTokens() {
        KeyService own = keys.get();
        return new AccessTokenVerifier(config.issuer(), config.issuer(), own::publicKeys);
    }

    /**
     * The resource-side validator over this server's own keys: userinfo (revocation always read)
     * and the local protected resource.
     */
    public TokenValidator tokenValidator(Duration revocationCache) {
        // The table's client first: built while the priming thread warms JSON and JOSE, which the
        // key service then finds loaded.
        ItemStore items = store.get();
        return new TokenValidator(ownTokens(), dpopValidator(), Optional.of(new RevocationCheck(items, revocationCache)),
                clock);
    }

    private ClientAuthentication clientAuthentication() {
        ItemStore items = store.get();
        return new ClientAuthentication(config, clients.get(), items, clock, trust);
    }

    private DpopProofValidator dpopValidator() {
        return new DpopProofValidator(config, store.get(), nonces.get(), clock);
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
