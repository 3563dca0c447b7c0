package dev.fapi2lambda.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.CertificateRule;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRegistration;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.user.PasswordHasher;
import dev.fapi2lambda.core.user.User;
import dev.fapi2lambda.core.user.UserRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * On first start: a demo client (private_key_jwt with an ES256 key whose private half is written
 * to the state folder, DPoP required), a demo mTLS client (tls_client_auth with a certificate from
 * the local CA, certificate-bound tokens) and a demo user with a random password.
 */
final class Seed {
    static final String DEMO_CLIENT_ID = "demo-client";
    static final String DEMO_REDIRECT_URI = "https://demo-client.localhost/callback";
    static final String DEMO_USER = "demo";
    static final String DEMO_MTLS_CLIENT_ID = "demo-mtls-client";
    static final String DEMO_MTLS_SUBJECT = "CN=demo-mtls-client,O=fapi2-lambda demo";

    /** What `serve` prints and the demo and tests use. */
    record Demo(String clientId, Path clientKeyFile, JWK clientKey, String redirectUri, String username, String password,
                String mtlsClientId, Path mtlsKeyStore) {
    }

    private Seed() {
    }

    static Demo ensure(StateDir state, ServerConfig config, ItemStore store, Clock clock, LocalTls tls)
            throws IOException, java.security.GeneralSecurityException {
        JWK key = demoClientKey(state);
        ClientRepository clients = new ClientRepository(store);
        if (clients.find(DEMO_CLIENT_ID, clock.instant()).isEmpty()) {
            clients.save(new ClientRegistration(config.scopesSupported()).validate(new Client(DEMO_CLIENT_ID,
                    AuthMethod.PRIVATE_KEY_JWT, new JWKSet(key.toPublicJWK()), List.of(DEMO_REDIRECT_URI),
                    new HashSet<>(config.scopesSupported()), true)));
        }
        String password = demoPassword(state);
        UserRepository users = new UserRepository(store);
        if (users.find(DEMO_USER, clock.instant()).isEmpty()) {
            users.save(new User(DEMO_USER, new PasswordHasher(new SecureRandom()).hash(password.toCharArray()),
                    Map.of("name", "Demo User", "given_name", "Demo", "family_name", "User",
                            "email", "demo@example.com", "email_verified", "true")));
        }
        Path mtlsKeyStore = state.file("demo-mtls-client.p12");
        if (!Files.exists(mtlsKeyStore)) {
            try (var out = Files.newOutputStream(mtlsKeyStore)) {
                tls.issueClientCertificate(DEMO_MTLS_SUBJECT, java.time.Duration.ofDays(397)).store(out, LocalTls.PASSWORD);
            }
            StateDir.ownerOnly(mtlsKeyStore);
        }
        if (clients.find(DEMO_MTLS_CLIENT_ID, clock.instant()).isEmpty()) {
            clients.save(new ClientRegistration(config.scopesSupported()).validate(new Client(DEMO_MTLS_CLIENT_ID,
                    AuthMethod.TLS_CLIENT_AUTH, new JWKSet(), List.of(DEMO_REDIRECT_URI),
                    new HashSet<>(config.scopesSupported()), false, JWSAlgorithm.PS256,
                    java.util.Optional.of(new CertificateRule(CertificateRule.Type.SUBJECT_DN, DEMO_MTLS_SUBJECT)), true)));
        }
        return new Demo(DEMO_CLIENT_ID, state.file("demo-client.jwk"), key, DEMO_REDIRECT_URI, DEMO_USER, password,
                DEMO_MTLS_CLIENT_ID, mtlsKeyStore);
    }

    private static JWK demoClientKey(StateDir state) throws IOException {
        Path file = state.file("demo-client.jwk");
        try {
            if (Files.exists(file)) {
                return JWK.parse(Files.readString(file));
            }
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).generate();
            state.writeSecret("demo-client.jwk", key.toJSONString());
            return key;
        } catch (ParseException | JOSEException e) {
            throw new IOException("the demo client key " + file + " is unusable", e);
        }
    }

    private static String demoPassword(StateDir state) throws IOException {
        Path file = state.file("demo-user.password");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        state.writeSecret("demo-user.password", password);
        return password;
    }
}
