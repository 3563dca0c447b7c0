package dev.fapi2lambda.local;

import com.nimbusds.jose.jwk.JWKSet;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRegistration;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.user.PasswordHasher;
import dev.fapi2lambda.core.user.User;
import dev.fapi2lambda.core.user.UserRepository;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The local command line: serve, client register|list, user add. Names and flags are a contract. */
@Command(name = "fapi2-local", mixinStandardHelpOptions = true,
        description = "fapi2-lambda on this machine: every function in one JVM over HTTPS, on DynamoDB Local.",
        subcommands = {Cli.Serve.class, Cli.DemoCommand.class, Cli.ClientCommand.class, Cli.UserCommand.class})
public final class Cli implements Callable<Integer> {
    static final String DEFAULT_STATE = ".fapi2-local";

    public static void main(String[] args) {
        int code = new CommandLine(new Cli()).execute(args);
        if (code != 0 || args.length == 0 || !"serve".equals(args[0])) {
            // DynamoDB Local leaves non-daemon threads behind; commands end here.
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "serve", description = "Start the authorization server on https://127.0.0.1:PORT.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "8443", description = "HTTPS port (0: any free port). Default ${DEFAULT-VALUE}.")
        int port;
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE, description = "State folder. Default ${DEFAULT-VALUE}.")
        Path stateDir;
        @Option(names = "--mtls-port", defaultValue = "8444",
                description = "HTTPS port that requires a client certificate: the mtls_endpoint_aliases. Default ${DEFAULT-VALUE}.")
        int mtlsPort;
        @Option(names = "--in-memory", description = "Keep DynamoDB Local in memory (nothing persists).")
        boolean inMemory;
        @Option(names = "--issuer", description = "Issuer URL (default https://127.0.0.1:PORT).")
        String issuer;

        @Override
        public Integer call() throws Exception {
            long started = System.nanoTime();
            LocalApp app = LocalApp.start(stateDir, port, mtlsPort, inMemory, Optional.ofNullable(issuer), Clock.systemUTC(),
                    config -> config);
            Runtime.getRuntime().addShutdownHook(new Thread(app::close));
            Seed.Demo demo = app.demo();
            PrintWriter out = new PrintWriter(System.out, true);
            out.println("issuer      " + app.issuer());
            out.println("discovery   " + app.issuer() + "/.well-known/openid-configuration");
            out.println("CA to trust " + app.caFile());
            out.println("demo client " + demo.clientId() + " (private_key_jwt, ES256 key " + demo.clientKeyFile()
                    + ", redirect " + demo.redirectUri() + ", DPoP required)");
            out.println("mTLS host   https://" + java.net.URI.create(app.issuer()).getHost() + ":" + app.mtlsPort()
                    + " (client certificate required; PAR, token, userinfo, introspection, revocation, /accounts)");
            out.println("demo mTLS   " + demo.mtlsClientId() + " (tls_client_auth, certificate-bound tokens, "
                    + demo.mtlsKeyStore() + ", password fapi2-local)");
            out.println("demo user   " + demo.username() + " / " + demo.password());
            out.println("state       " + stateDir.toAbsolutePath() + (inMemory ? " (DynamoDB in memory)" : ""));
            out.println("started in  " + (System.nanoTime() - started) / 1_000_000 + " ms");
            out.println("ready " + app.issuer());
            new CountDownLatch(1).await();
            return 0;
        }
    }

    @Command(name = "demo", description = "Run one whole flow with the demo client and user against a running server.")
    static final class DemoCommand implements Callable<Integer> {
        @Option(names = "--issuer", defaultValue = "https://127.0.0.1:8443", description = "Default ${DEFAULT-VALUE}.")
        String issuer;
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE, description = "The server's state folder.")
        Path stateDir;
        @Option(names = "--mtls", description = "Use the demo mTLS client: tls_client_auth and certificate-bound tokens.")
        boolean mtls;

        @Override
        public Integer call() throws Exception {
            return Demo.run(issuer, stateDir, mtls, System.out);
        }
    }

    @Command(name = "client", description = "Manage clients.", subcommands = {Register.class, ListClients.class, IssueCert.class})
    static final class ClientCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            new CommandLine(this).usage(System.out);
            return 0;
        }
    }

    @Command(name = "register", description = "Register (or replace) a client. Works beside a running server.")
    static final class Register implements Callable<Integer> {
        @Option(names = "--client-id", required = true)
        String clientId;
        @Option(names = "--jwks", description = "File with the client's public JWK Set (private_key_jwt, self_signed_tls_client_auth).")
        Path jwks;
        @Option(names = "--cert", description = "A self-signed client certificate (PEM) whose key is registered (self_signed_tls_client_auth).")
        Path cert;
        @Option(names = "--subject-dn", description = "tls_client_auth: the certificate's subject DN (RFC 4514).")
        String subjectDn;
        @Option(names = "--san-dns", description = "tls_client_auth: a DNS subject alternative name instead of the DN.")
        String sanDns;
        @Option(names = "--san-uri", description = "tls_client_auth: a URI subject alternative name instead of the DN.")
        String sanUri;
        @Option(names = "--cert-bound", description = "tls_client_certificate_bound_access_tokens: bind tokens to the certificate (RFC 8705 3).")
        boolean certBound;
        @Option(names = "--resource-server", description = "A resource server: may introspect any token (RFC 7662).")
        boolean resourceServer;
        @Option(names = "--redirect-uri", required = true, arity = "1..*")
        List<String> redirectUris;
        @Option(names = "--scope", required = true, arity = "1..*")
        List<String> scopes;
        @Option(names = "--auth", defaultValue = "private_key_jwt")
        String auth;
        @Option(names = "--dpop-required")
        boolean dpopRequired;
        @Option(names = "--id-token-alg", defaultValue = "PS256", description = "PS256 (default) or ES256.")
        String idTokenAlg;
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE)
        Path stateDir;

        @Override
        public Integer call() throws Exception {
            AuthMethod method = AuthMethod.of(auth).orElse(null);
            if (method == null) {
                System.err.println("error: --auth must be one of " + List.of(AuthMethod.values()).stream().map(AuthMethod::value).toList());
                return 2;
            }
            Client client;
            try {
                List<String> allScopes = scopes.stream().flatMap(s -> List.of(s.split("[ ,]+")).stream()).toList();
                client = new ClientRegistration(ServerConfig.defaults("https://127.0.0.1").scopesSupported())
                        .validate(new Client(clientId, method, keys(), redirectUris,
                                new HashSet<>(allScopes), dpopRequired, com.nimbusds.jose.JWSAlgorithm.parse(idTokenAlg),
                                rule(), certBound, resourceServer));
            } catch (IllegalArgumentException | java.text.ParseException | java.security.GeneralSecurityException
                     | com.nimbusds.jose.JOSEException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            try (LocalDynamo dynamo = LocalDynamo.open(new StateDir(stateDir), false)) {
                new ClientRepository(dynamo.store()).save(client);
            }
            System.out.println("registered " + clientId);
            return 0;
        }

        private JWKSet keys() throws java.io.IOException, java.text.ParseException, java.security.GeneralSecurityException,
                com.nimbusds.jose.JOSEException {
            if (cert != null) {
                var certificate = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(Files.newInputStream(cert));
                var key = com.nimbusds.jose.jwk.JWK.parse(certificate);
                return new JWKSet(key.getKeyID() != null ? key : rebuildWithThumbprintKid(key));
            }
            return jwks == null ? new JWKSet() : JWKSet.parse(Files.readString(jwks));
        }

        private static com.nimbusds.jose.jwk.JWK rebuildWithThumbprintKid(com.nimbusds.jose.jwk.JWK key)
                throws com.nimbusds.jose.JOSEException, java.text.ParseException {
            var json = key.toJSONObject();
            json.put("kid", key.computeThumbprint().toString());
            return com.nimbusds.jose.jwk.JWK.parse(json);
        }

        private Optional<dev.fapi2lambda.core.client.CertificateRule> rule() {
            if (subjectDn != null) {
                return Optional.of(new dev.fapi2lambda.core.client.CertificateRule(
                        dev.fapi2lambda.core.client.CertificateRule.Type.SUBJECT_DN, subjectDn));
            }
            if (sanDns != null) {
                return Optional.of(new dev.fapi2lambda.core.client.CertificateRule(
                        dev.fapi2lambda.core.client.CertificateRule.Type.SAN_DNS, sanDns));
            }
            if (sanUri != null) {
                return Optional.of(new dev.fapi2lambda.core.client.CertificateRule(
                        dev.fapi2lambda.core.client.CertificateRule.Type.SAN_URI, sanUri));
            }
            return Optional.empty();
        }
    }

    @Command(name = "cert", description = "Issue a client certificate from the local CA (for tls_client_auth tests).")
    static final class IssueCert implements Callable<Integer> {
        @Option(names = "--subject-dn", required = true, description = "Subject DN, e.g. CN=my-client,O=Example")
        String subjectDn;
        @Option(names = "--out", required = true, description = "PKCS12 file to write (password fapi2-local); a .pem beside it holds the certificate.")
        Path out;
        @Option(names = "--days", defaultValue = "365")
        int days;
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE)
        Path stateDir;

        @Override
        public Integer call() throws Exception {
            LocalTls tls = new LocalTls(new StateDir(stateDir));
            tls.context("127.0.0.1");
            java.security.KeyStore store = tls.issueClientCertificate(subjectDn, java.time.Duration.ofDays(days));
            try (var o = Files.newOutputStream(out)) {
                store.store(o, LocalTls.PASSWORD);
            }
            StateDir.ownerOnly(out);
            Path pem = out.resolveSibling(out.getFileName() + ".pem");
            Files.writeString(pem, LocalTls.pem(store.getCertificate("client")));
            System.out.println("issued " + subjectDn + " -> " + out + " (password fapi2-local), certificate " + pem);
            return 0;
        }
    }

    @Command(name = "list", description = "List registered clients.")
    static final class ListClients implements Callable<Integer> {
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE)
        Path stateDir;

        @Override
        public Integer call() throws Exception {
            try (LocalDynamo dynamo = LocalDynamo.open(new StateDir(stateDir), false)) {
                for (Client c : new ClientRepository(dynamo.store()).list()) {
                    System.out.println(c.clientId() + "\t" + c.authMethod().value() + "\t"
                            + (c.dpopRequired() ? "dpop-required" : "-") + "\t" + String.join(" ", c.redirectUris())
                            + "\t" + String.join(" ", new java.util.TreeSet<>(c.scopes())));
                }
            }
            return 0;
        }
    }

    @Command(name = "user", description = "Manage end-users.", subcommands = {AddUser.class})
    static final class UserCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            new CommandLine(this).usage(System.out);
            return 0;
        }
    }

    @Command(name = "add", description = "Add (or replace) a user; the password is read from standard input.")
    static final class AddUser implements Callable<Integer> {
        @Option(names = "--username", required = true)
        String username;
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE)
        Path stateDir;

        @Override
        public Integer call() throws Exception {
            if (!username.matches("[A-Za-z0-9._@-]{1,64}")) {
                System.err.println("error: username must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
                return 2;
            }
            String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (password == null || password.length() < 8) {
                System.err.println("error: a password of at least 8 characters is required on standard input");
                return 2;
            }
            String hash = new PasswordHasher(new SecureRandom()).hash(password.toCharArray());
            try (LocalDynamo dynamo = LocalDynamo.open(new StateDir(stateDir), false)) {
                new UserRepository(dynamo.store()).save(new User(username, hash, Map.of()));
            }
            System.out.println("added user " + username);
            return 0;
        }
    }
}
