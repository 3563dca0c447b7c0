package dev.fapi2lambda.local;

import dev.fapi2lambda.aws.ApiFunction;
import dev.fapi2lambda.aws.Components;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.Paths;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import dev.fapi2lambda.aws.Routes;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.keys.KeyService;
import dev.fapi2lambda.core.store.ItemStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The whole local authorization server in one JVM: DynamoDB Local, the local key service, the
 * TLS material, the seeded demo client and user, and the HTTPS server in front of the functions.
 */
final class LocalApp implements AutoCloseable {
    private final LocalDynamo dynamo;
    private final LocalServer server;
    private final LocalServer mtlsServer;
    private final String issuer;
    private final Path caFile;
    private final Seed.Demo demo;

    private LocalApp(LocalDynamo dynamo, LocalServer server, LocalServer mtlsServer, String issuer, Path caFile,
                     Seed.Demo demo) {
        this.dynamo = dynamo;
        this.server = server;
        this.mtlsServer = mtlsServer;
        this.issuer = issuer;
        this.caFile = caFile;
        this.demo = demo;
    }

    /**
     * Starts everything. Port 0 picks a free port. Without an explicit issuer it is
     * https://127.0.0.1:PORT; with one, its host must resolve to this machine.
     */
    static LocalApp start(Path stateDir, int port, boolean inMemory, Optional<String> issuerOption, Clock clock)
            throws IOException, GeneralSecurityException {
        return start(stateDir, port, 0, inMemory, issuerOption, clock, config -> config);
    }

    /** As above, with the configuration adjusted (tests: short lifetimes). */
    static LocalApp start(Path stateDir, int port, int mtlsPort, boolean inMemory, Optional<String> issuerOption,
                          Clock clock, java.util.function.UnaryOperator<ServerConfig> adjust)
            throws IOException, GeneralSecurityException {
        StateDir state = new StateDir(stateDir);
        LocalTls tls = new LocalTls(state);
        String host = issuerOption.map(i -> URI.create(i).getHost()).orElse("127.0.0.1");
        SSLContext context = tls.context(host);
        LocalDynamo dynamo = LocalDynamo.open(state, inMemory);
        try {
            KeyService keys = LocalKeys.loadOrCreate(state);
            ItemStore store = dynamo.store();
            DeferredRoutes routes = new DeferredRoutes();
            DeferredRoutes mtlsRoutes = new DeferredRoutes();
            LocalServer server = new LocalServer(context, port, routes);
            X509Certificate ca = tls.caCertificate();
            SSLContext mtlsContext = tls.context(host, new MtlsTrust(ca, new ClientRepository(store)));
            LocalServer mtlsServer = new LocalServer(mtlsContext, mtlsPort, mtlsRoutes, true);
            String issuer = issuerOption.orElse("https://127.0.0.1:" + server.port());
            String mtlsBase = "https://" + URI.create(issuer).getHost() + ":" + mtlsServer.port();
            ServerConfig config = adjust.apply(ServerConfig.defaults(issuer).withMtls(mtlsBase)
                    .withApiAudience(issuer + Paths.ACCOUNTS));
            Seed.Demo demo = Seed.ensure(state, config, store, clock, tls);
            Components components = new Components(config, () -> store, () -> keys, clock, new SecureRandom(),
                    new CertificateTrust(List.of(ca)));
            Map<String, ApiFunction> functions = Routes.functions(components);
            functions.forEach((path, function) -> routes.put(path, LocalRoute.function(function)));
            LocalRoute accounts = accountsRoute(config, components, keys);
            routes.put(Paths.ACCOUNTS, accounts);
            mtlsRoutes.put(Paths.ACCOUNTS, accounts);
            // RFC 8705 5: the mTLS host serves the aliases (PAR, token, userinfo, introspection, revocation), never /authorize.
            List.of(Paths.PAR, Paths.TOKEN, Paths.USERINFO, Paths.INTROSPECT, Paths.REVOKE)
                    .forEach(path -> mtlsRoutes.put(path, LocalRoute.function(functions.get(path))));
            server.start();
            mtlsServer.start();
            return new LocalApp(dynamo, server, mtlsServer, issuer, tls.caFile(), demo);
        } catch (IOException | RuntimeException e) {
            dynamo.close();
            throw e;
        }
    }

    String issuer() {
        return issuer;
    }

    int port() {
        return server.port();
    }

    int mtlsPort() {
        return mtlsServer.port();
    }

    Path caFile() {
        return caFile;
    }

    Seed.Demo demo() {
        return demo;
    }

    LocalDynamo dynamo() {
        return dynamo;
    }

    @Override
    public void close() {
        server.close();
        mtlsServer.close();
        dynamo.close();
    }

    /** The route table, filled once the issuer (which needs the bound port) is known. */
    /**
     * The sample protected API behind the DPoP authorizer, as template.yaml deploys it: the same
     * authorizer function (over this server's public keys instead of a JWKS fetch), revocation
     * read on every request (no cache, so tests see revocations at once).
     */
    private static LocalRoute accountsRoute(ServerConfig config, Components components, KeyService keys) {
        String audience = config.apiAudience().orElseThrow();
        var verifier = new dev.fapi2lambda.core.userinfo.AccessTokenVerifier(config.issuer(), audience, keys::publicKeys);
        var authorizer = new dev.fapi2lambda.aws.DpopAuthorizerFunction(
                components.resourceValidator(verifier, Optional.of(java.time.Duration.ZERO)),
                dev.fapi2lambda.aws.DpopAuthorizerFunction.resourceUrls(config.issuer(), config.mtlsBaseUrl()));
        return LocalRoute.authorized(authorizer, new dev.fapi2lambda.aws.AccountsFunction());
    }

    private static final class DeferredRoutes extends java.util.concurrent.ConcurrentHashMap<String, LocalRoute> {
    }
}
