package dev.fapi2lambda.core.testing;

import com.nimbusds.jose.jwk.JWKSet;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.CertificateRule;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientAuthentication;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Client authentication wired for mutual TLS (RFC 8705): a server with an mTLS host, a trusted CA
 * ({@link #ca}), a CA nobody trusts ({@link #otherCa}), a clock inside the certificates' default
 * validity, and helpers to register mTLS clients and build requests that arrive with a client
 * certificate on the connection.
 */
public final class MtlsFixture {
    public static final String ISSUER = CoreFixture.ISSUER;
    public static final String MTLS_BASE_URL = "https://mtls.as.example.test";
    public static final String REDIRECT_URI = CoreFixture.REDIRECT_URI;

    public final MutableClock clock = new MutableClock(TestCertificates.VALID_AT);
    public final ServerConfig config = ServerConfig.defaults(ISSUER).withMtls(MTLS_BASE_URL);
    public final InMemoryItemStore store = new InMemoryItemStore();
    public final ClientRepository clients = new ClientRepository(store);
    public final TestCertificates.Authority ca = TestCertificates.authority("CN=Test Client CA,O=FAPI Test,C=DE");
    public final TestCertificates.Authority otherCa = TestCertificates.authority("CN=Other CA,O=Elsewhere,C=DE");
    public final CertificateTrust trust = new CertificateTrust(List.of(ca.certificate()));
    public final ClientAuthentication authentication = new ClientAuthentication(config, clients, store, clock, trust);

    /** Registers (stores) a client and returns it. */
    public Client save(Client client) {
        clients.save(client);
        return client;
    }

    /** A tls_client_auth client (RFC 8705 2.1) with a rule and no keys. */
    public static Client tlsClient(String id, CertificateRule rule) {
        return client(id, AuthMethod.TLS_CLIENT_AUTH, new JWKSet(), Optional.of(rule), false, false);
    }

    /** A self_signed_tls_client_auth client (RFC 8705 2.2) whose registered keys are {@code jwks}. */
    public static Client selfSignedClient(String id, JWKSet jwks) {
        return client(id, AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, jwks, Optional.empty(), false, false);
    }

    public static Client client(String id, AuthMethod method, JWKSet jwks, Optional<CertificateRule> rule,
                                boolean dpopRequired, boolean certificateBoundTokens) {
        return new Client(id, method, jwks, List.of(REDIRECT_URI), Set.of("openid", "accounts"), dpopRequired,
                com.nimbusds.jose.JWSAlgorithm.PS256, rule, certificateBoundTokens);
    }

    public static CertificateRule rule(CertificateRule.Type type, String value) {
        return new CertificateRule(type, value);
    }

    /** A form POST with extra headers and, when present, a client certificate on the TLS connection. */
    public static Request post(String path, Map<String, String> params, Map<String, String> headers,
                               Optional<X509Certificate> certificate) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/x-www-form-urlencoded"));
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return new Request("POST", path, Headers.of(h), Map.of(), Forms.of(params).getBytes(StandardCharsets.UTF_8),
                certificate, "mtls-test-request");
    }

    /** A form POST arriving over mTLS with the certificate. */
    public static Request post(String path, Map<String, String> params, X509Certificate certificate) {
        return post(path, params, Map.of(), Optional.of(certificate));
    }

    /** Runs client authentication on the request as the PAR and token endpoints do. */
    public Client authenticate(Request request) {
        return authentication.authenticate(request, Form.of(request, config.maxBodyBytes()));
    }
}
