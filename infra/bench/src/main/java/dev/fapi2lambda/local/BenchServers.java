package dev.fapi2lambda.local;

import com.nimbusds.jose.jwk.JWK;
import dev.fapi2lambda.aws.ApiFunction;
import dev.fapi2lambda.aws.Components;
import dev.fapi2lambda.aws.Routes;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.keys.KeyService;
import dev.fapi2lambda.core.store.ItemStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The benchmarks' way into the local server (package-private in infra/local, hence this class in
 * the same package, in infra/bench): LocalApp as {@code serve --in-memory} starts it, or the same
 * HTTPS front, TLS material and demo seed in front of Components built on a store and a key
 * service of the benchmark's choosing (real SDK clients, to count their requests), with the HTTP
 * requests it serves counted by method, path and status, and the time each took in the server
 * (event built, function run, response parsed; TLS and HTTP parsing not included).
 */
public final class BenchServers {
    private BenchServers() {
    }

    /** A running server and the demo client and user seeded in it. */
    public record Running(String issuer, Path caFile, String clientId, JWK clientKey, String redirectUri,
                          String username, String password, AutoCloseable closer,
                          Supplier<Map<String, Long>> httpRequests, Map<String, java.util.List<Double>> serverMs)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    /** LocalApp in-process, as `serve --in-memory --port 0` runs it (DynamoDB Local embedded, local keys). */
    public static Running localApp(Path stateDir) throws Exception {
        LocalApp app = LocalApp.start(stateDir, 0, true, Optional.empty(), Clock.systemUTC());
        Seed.Demo demo = app.demo();
        return new Running(app.issuer(), app.caFile(), demo.clientId(), demo.clientKey(), demo.redirectUri(),
                demo.username(), demo.password(), app, Map::of, null);
    }

    /**
     * The local server's HTTPS front and demo seed (as LocalApp does it, without the mTLS port) in
     * front of Routes.functions over Components on {@code store} and {@code keys}.
     */
    public static Running withParts(Path stateDir, ItemStore store, Supplier<KeyService> keys) throws Exception {
        StateDir state = new StateDir(stateDir);
        LocalTls tls = new LocalTls(state);
        SSLContext context = tls.context("127.0.0.1");
        Map<String, LocalRoute> routes = new ConcurrentHashMap<>();
        LocalServer server = new LocalServer(context, 0, routes);
        String issuer = "https://127.0.0.1:" + server.port();
        ServerConfig config = ServerConfig.defaults(issuer);
        Clock clock = Clock.systemUTC();
        Seed.Demo demo = Seed.ensure(state, config, store, clock, tls);
        Components components = new Components(config, () -> store, keys, clock, new SecureRandom());
        Map<String, ApiFunction> functions = Routes.functions(components);
        Map<String, LongAdder> requests = new ConcurrentHashMap<>();
        Map<String, java.util.List<Double>> serverMs = new ConcurrentHashMap<>();
        functions.forEach((path, function) -> {
            LocalRoute route = LocalRoute.function(function);
            routes.put(path, (exchange, body) -> {
                long start = System.nanoTime();
                dev.fapi2lambda.core.http.Response response = route.serve(exchange, body);
                serverMs.computeIfAbsent(exchange.getRequestMethod() + " " + path,
                        k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                        .add((System.nanoTime() - start) / 1e6);
                requests.computeIfAbsent(exchange.getRequestMethod() + " " + path + " " + response.status(),
                        k -> new LongAdder()).increment();
                return response;
            });
        });
        server.start();
        return new Running(issuer, tls.caFile(), demo.clientId(), demo.clientKey(), demo.redirectUri(), demo.username(),
                demo.password(), server::close, () -> {
                    Map<String, Long> copy = new java.util.TreeMap<>();
                    requests.forEach((k, v) -> copy.put(k, v.sum()));
                    return copy;
                }, serverMs);
    }
}
