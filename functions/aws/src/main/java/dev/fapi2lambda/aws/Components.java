package dev.fapi2lambda.aws;

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
    private final ServerConfig config;
    private final Supplier<ItemStore> store;
    private final Supplier<KeyService> keys;
    private final Clock clock;
    private final SecureRandom random;

    public Components(ServerConfig config, Supplier<ItemStore> store, Supplier<KeyService> keys, Clock clock,
                      SecureRandom random) {
        this.config = config;
        this.store = memoize(store);
        this.keys = memoize(keys);
        this.clock = clock;
        this.random = random;
    }

    /** Lambda: everything from the environment variables template.yaml sets. */
    public static Components fromEnvironment() {
        Environment env = Environment.system();
        return new Components(env.serverConfig(), env::itemStore, env::keyService, Clock.systemUTC(), new SecureRandom());
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
        ItemStore items = store.get();
        ClientAuthentication clientAuthentication =
                new ClientAuthentication(config, new ClientRepository(items), items, clock);
        DpopProofValidator dpop = new DpopProofValidator(config, items, DpopNonces.NOT_REQUIRED, clock);
        return new ParEndpoint(config, clientAuthentication, dpop, new PushedRequests(items), new Secrets(random), clock);
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
