package dev.fapi2lambda.aws;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.keys.JwkKeyService;
import dev.fapi2lambda.core.keys.JwtSigner;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.TestKeys;
import dev.fapi2lambda.core.token.TokenIssuer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The sample events in events/ (REST API proxy events, payload 1.0, as {@code sam local invoke -e}
 * takes them) and every fixed value they were made with: one instant, the issuer of the sample
 * deployment, the sample clients' keys and certificate, the sample server keys (test resources),
 * and the code, PKCE verifier, DPoP nonce, refresh token and access tokens a working flow needs.
 * {@link SampleTable} writes into a table what each event expects to find there.
 *
 * <p>{@code main} rewrites events/*.json (signatures are randomised, so the JWTs change on every
 * run; every claim and value stays the same). The tests read the files as they are, and build
 * variants (another jti) with the same methods {@code main} uses.
 */
public final class SampleEvents {
    /** Every event's time. The sample certificate is valid from 2026-11-24T15:55:15Z, so this is after it. */
    public static final Instant AT = Instant.parse("2026-11-24T16:00:00Z");
    public static final String ISSUER = "https://as.example.com";
    public static final String MTLS_BASE_URL = "https://mtls.as.example.com";
    /**
     * The sample protected API (GET /accounts on the issuer's REST API, behind the DPoP authorizer):
     * the audience template.yaml gives access tokens by default, and the authorizer expects.
     */
    public static final String API_AUDIENCE = ISSUER + "/accounts";
    /** The authorizer's methodArn for GET /accounts on the sample REST API. */
    public static final String METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/GET/accounts";
    public static final String CLIENT_ID = "sample-client";
    /** The mTLS client: self_signed_tls_client_auth with sample-client-cert.pem, certificate-bound tokens. */
    public static final String MTLS_CLIENT_ID = "sample-mtls-client";
    public static final String REDIRECT_URI = "https://client.example.com/callback";
    public static final List<String> SCOPES = List.of("openid", "profile", "accounts");
    public static final String STATE = "af0ifjsldkj";
    /** The OpenID Connect nonce of the authorization request. */
    public static final String OIDC_NONCE = "n-0S6_WzA2Mj";
    public static final String CODE_VERIFIER = "ucje3gR3giWGDr3tEaYFbQAsJ_GOxULFWJqHwM6m1Jg";
    public static final String CODE_CHALLENGE = Hashes.sha256Url(CODE_VERIFIER);
    /** The request_uri PAR returned (in the table only as its hash). */
    public static final String REQUEST_URI = "urn:ietf:params:oauth:request_uri:PrQDKD1ACIQSpgrSRcb938hPPXBv0YuRe7iVKLr2Ut0";
    /** The value of the browser's interaction cookie, set by the first GET /authorize. */
    public static final String INTERACTION_ID = "dBUQtjBce5SS61Jbe9qQHCiG4d1YR0CGKOUQCBXmJmg";
    public static final String INTERACTION_COOKIE = "__Host-fapi2-ia-" + Hashes.sha256Url(REQUEST_URI).substring(0, 16);
    /** The CSRF token of the login form the browser was shown. */
    public static final String CSRF = "5Zo1ZOSLEg63C7bZnzvfFZUS9KcMX_e3mP-tBrw4__A";
    public static final String USERNAME = "alice";
    public static final String PASSWORD = "correct horse battery staple";
    public static final Instant AUTH_TIME = AT.minusSeconds(20);
    /** The authorization code of token.json (DPoP-bound to the sample DPoP key). */
    public static final String CODE = "QIeVtJMb-KEiU2dJ9_M-n_Gm4Z8EIdcXRKLF8zmMa5o.71wD6lsOPKM5Yvf0pCJPUl-vydOv0g1YLENuz_zfJks";
    /** The authorization code of token-mtls.json (the mTLS client's, not DPoP-bound). */
    public static final String MTLS_CODE = "SGalS2J_F0082WShOjNBstXXVSarERU_NogvIRQPv8g.dUSpnIZ9RVfANaMkN2mwD0-846dPm428gSVb7NP7xM4";
    public static final String GRANT_ID = "aAzAYkz5O-lQv1AzZgikgWBA1CYq1jud0dMKh6CqPKM";
    public static final String MTLS_GRANT_ID = "fLeuzqDY08hzK-Q-3OcB-kRam-WFf1iCvNnqt93xYDs";
    /** The refresh token of token-refresh.json: its grant's id, a dot, 256 random bits. */
    public static final String REFRESH_TOKEN = GRANT_ID + ".h9XVRpUn-xk16bJjOMO_YpHwEtXwS5JqytTJ1ce_WYI";
    /** The server's DPoP nonce in the window of {@link #AT}: every sample DPoP proof carries it. */
    public static final String DPOP_NONCE = "Lm467RsroY-LxeU1oG_LZ7HGaVJdlBvHs06pUUml3gU";
    public static final String INTERACTION_ID_HEADER = "9c4f4b53-4a7d-4a60-9f1d-0c0d6b1e2f3a";
    public static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
    public static final Path EVENTS = locateEvents();

    /** Every event file of an authorization-server endpoint and the function that serves it. */
    public static final Map<String, Class<? extends ApiFunction>> FILES = files();

    /**
     * The events of the sample protected API: the REQUEST event API Gateway sends the DPoP
     * authorizer for GET /accounts, and the proxy event the accounts function gets once it allowed.
     */
    public static final Map<String, Class<? extends com.amazonaws.services.lambda.runtime.RequestStreamHandler>>
            RESOURCE_FILES = Map.of("authorizer.json", DpopAuthorizerFunction.class,
                    "accounts.json", AccountsFunction.class);

    private SampleEvents() {
    }

    private static Map<String, Class<? extends ApiFunction>> files() {
        Map<String, Class<? extends ApiFunction>> files = new LinkedHashMap<>();
        files.put("discovery.json", DiscoveryFunction.class);
        files.put("oauth-metadata.json", DiscoveryFunction.class);
        files.put("jwks.json", JwksFunction.class);
        files.put("par.json", ParFunction.class);
        files.put("par-mtls.json", ParFunction.class);
        files.put("authorize.json", AuthorizeFunction.class);
        files.put("authorize-login.json", AuthorizeFunction.class);
        files.put("token.json", TokenFunction.class);
        files.put("token-refresh.json", TokenFunction.class);
        files.put("token-mtls.json", TokenFunction.class);
        files.put("userinfo.json", UserinfoFunction.class);
        files.put("userinfo-mtls.json", UserinfoFunction.class);
        files.put("introspect.json", IntrospectionFunction.class);
        files.put("revoke.json", RevocationFunction.class);
        return java.util.Collections.unmodifiableMap(files);
    }

    private static Path locateEvents() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("events"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no events/ folder above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("events");
    }

    public static String read(String name) throws IOException {
        return Files.readString(EVENTS.resolve(name));
    }

    // ---- the fixed keys and certificate (test resources) ----

    private static String resource(String name) {
        try (InputStream in = SampleEvents.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWK jwk(String name) {
        try {
            return JWK.parse(resource(name));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(name + " is not a JWK", e);
        }
    }

    /** The sample client's private_key_jwt key. */
    public static ECKey clientKey() {
        return jwk("sample-client.jwk").toECKey();
    }

    /** The sample client's DPoP key. */
    public static ECKey dpopKey() {
        return jwk("sample-dpop.jwk").toECKey();
    }

    /** The RFC 7638 thumbprint of the DPoP key: the cnf.jkt / dpop_jkt of the sample flow. */
    public static String dpopJkt() {
        return TestKeys.thumbprint(dpopKey());
    }

    /** The sample server's signing keys (PS256 and ES256, private): what KMS holds in AWS. */
    public static List<JWK> serverKeys() {
        return List.of(jwk("sample-server-ps256.jwk"), jwk("sample-server-es256.jwk"));
    }

    /** A key service over the sample server keys, so the sample tokens verify. */
    public static JwkKeyService keyService() {
        return new JwkKeyService(serverKeys());
    }

    /** The mTLS client's self-signed certificate (PEM, LF line ends as API Gateway passes it). */
    public static String clientCertPem() {
        return resource("sample-client-cert.pem").replace("\r\n", "\n");
    }

    public static X509Certificate clientCert() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(clientCertPem().getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate's public key as the mTLS client registers it (self_signed_tls_client_auth, RFC 8705 2.2). */
    public static ECKey clientCertKey() {
        try {
            return new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) clientCert().getPublicKey())
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).keyIDFromThumbprint().build();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** x5t#S256 of the certificate: the cnf of the mTLS client's tokens. */
    public static String clientCertThumbprint() {
        return CertificateTrust.thumbprint(clientCert());
    }

    // ---- the events ----

    /** One REST API proxy event (payload 1.0) as API Gateway hands it to a Lambda function. */
    static final class Event {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Map<String, String> query;
        private String body;
        private boolean mtls;
        private String userAgent = "sample-client/1.0";
        private Map<String, Object> authorizer;
        private boolean authorizerRequest;

        Event(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Event header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Event query(Map<String, String> params) {
            this.query = params;
            return this;
        }

        /** A raw body (its Content-Type set by the caller's headers). */
        Event body(String raw) {
            this.body = raw;
            return this;
        }

        Event form(Map<String, String> params) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            this.body = Forms.of(params);
            return this;
        }

        Event mtls() {
            this.mtls = true;
            return this;
        }

        Event browser() {
            this.userAgent = BROWSER;
            return this;
        }

        /** requestContext.authorizer: what a Lambda authorizer's Allow passed on (its context, principalId). */
        Event authorizedBy(Map<String, Object> context) {
            this.authorizer = context;
            return this;
        }

        /**
         * The REQUEST authorizer event API Gateway builds from this request instead (REST API):
         * type and methodArn first, the same request fields and requestContext, no body.
         */
        Event asAuthorizerRequest() {
            this.authorizerRequest = true;
            return this;
        }

        /** The event as JSON, under the request id {@code requestId}. */
        String json(String requestId) {
            return pretty(JSONObjectUtils.toJSONString(toMap(requestId)));
        }

        Map<String, Object> toMap(String requestId) {
            String domain = mtls ? "mtls.as.example.com" : "as.example.com";
            Map<String, Object> event = new LinkedHashMap<>();
            if (authorizerRequest) {
                event.put("type", "REQUEST");
                event.put("methodArn", METHOD_ARN);
            }
            event.put("resource", path);
            event.put("path", path);
            event.put("httpMethod", method);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Host", domain);
            h.put("User-Agent", userAgent);
            String hex = java.util.HexFormat.of().formatHex(Hashes.sha256(requestId.getBytes(StandardCharsets.UTF_8)));
            h.put("X-Amzn-Trace-Id", "Root=1-" + Long.toHexString(AT.getEpochSecond()) + "-" + hex.substring(0, 24));
            h.put("X-Forwarded-For", "203.0.113.10");
            h.put("X-Forwarded-Port", "443");
            h.put("X-Forwarded-Proto", "https");
            h.putAll(headers);
            event.put("headers", h);
            Map<String, Object> mh = new LinkedHashMap<>();
            h.forEach((k, v) -> mh.put(k, List.of(v)));
            event.put("multiValueHeaders", mh);
            if (query == null) {
                event.put("queryStringParameters", null);
                event.put("multiValueQueryStringParameters", null);
            } else {
                event.put("queryStringParameters", new LinkedHashMap<>(query));
                Map<String, Object> mq = new LinkedHashMap<>();
                query.forEach((k, v) -> mq.put(k, List.of(v)));
                event.put("multiValueQueryStringParameters", mq);
            }
            event.put("pathParameters", null);
            event.put("stageVariables", null);
            Map<String, Object> identity = new LinkedHashMap<>();
            identity.put("cognitoIdentityPoolId", null);
            identity.put("accountId", null);
            identity.put("cognitoIdentityId", null);
            identity.put("caller", null);
            identity.put("sourceIp", "203.0.113.10");
            identity.put("principalOrgId", null);
            identity.put("accessKey", null);
            identity.put("cognitoAuthenticationType", null);
            identity.put("cognitoAuthenticationProvider", null);
            identity.put("userArn", null);
            identity.put("userAgent", userAgent);
            identity.put("user", null);
            identity.put("clientCert", mtls ? clientCertField() : null);
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("resourceId", "abc123");
            context.put("resourcePath", path);
            context.put("httpMethod", method);
            context.put("extendedRequestId", "Bx3kGFz1IAMF" + hex.substring(24, 28) + "=");
            context.put("requestTime", DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US)
                    .format(AT.atOffset(ZoneOffset.UTC)));
            context.put("path", path);
            context.put("accountId", "123456789012");
            context.put("protocol", "HTTP/1.1");
            context.put("stage", "prod");
            context.put("domainPrefix", mtls ? "mtls" : "as");
            context.put("requestTimeEpoch", AT.toEpochMilli());
            context.put("requestId", requestId);
            context.put("identity", identity);
            context.put("domainName", domain);
            context.put("apiId", "a1b2c3d4e5");
            if (authorizer != null) {
                context.put("authorizer", authorizer);
            }
            event.put("requestContext", context);
            if (!authorizerRequest) {
                event.put("body", body);
                event.put("isBase64Encoded", false);
            }
            return event;
        }
    }

    /** requestContext.identity.clientCert as API Gateway fills it for a mutual-TLS custom domain. */
    private static Map<String, Object> clientCertField() {
        X509Certificate cert = clientCert();
        DateTimeFormatter gmt = DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy 'GMT'", Locale.US);
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("clientCertPem", clientCertPem().strip());
        field.put("subjectDN", cert.getSubjectX500Principal().getName());
        field.put("issuerDN", cert.getIssuerX500Principal().getName());
        field.put("serialNumber", colonHex(cert.getSerialNumber().toByteArray()));
        Map<String, Object> validity = new LinkedHashMap<>();
        validity.put("notBefore", gmt.format(cert.getNotBefore().toInstant().atOffset(ZoneOffset.UTC)));
        validity.put("notAfter", gmt.format(cert.getNotAfter().toInstant().atOffset(ZoneOffset.UTC)));
        field.put("validity", validity);
        return field;
    }

    private static String colonHex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i == 0 && bytes[i] == 0 && bytes.length > 1) {
                continue; // the sign byte of BigInteger
            }
            out.append(out.length() == 0 ? "" : ":").append(String.format("%02x", bytes[i]));
        }
        return out.toString();
    }

    /** A request id of its own for each event (stable across runs); par.json keeps the one ApiGatewayEventsTest reads. */
    static String requestId(String file) {
        if ("par.json".equals(file)) {
            return "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
        }
        return UUID.nameUUIDFromBytes(("sample " + file).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String assertion(String jti, Instant at) {
        return Jwts.clientAssertion(clientKey(), CLIENT_ID, ISSUER, at, c -> c.jwtID(jti));
    }

    /** A DPoP proof of the sample DPoP key with the sample nonce, made at {@code at}. */
    static String dpopProof(String htm, String htu, String jti, Instant at, UnaryOperator<JWTClaimsSet.Builder> change) {
        return Jwts.dpopProof(dpopKey(), htm, htu, at, c -> change.apply(c.jwtID(jti).claim("nonce", DPOP_NONCE)));
    }

    private static String dpopProof(String htm, String htu, String jti, UnaryOperator<JWTClaimsSet.Builder> change) {
        return dpopProof(htm, htu, jti, AT, change);
    }

    private static Map<String, String> privateKeyJwt(Map<String, String> form, String assertionJti, Instant at) {
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion(assertionJti, at));
        return form;
    }

    private static Map<String, String> privateKeyJwt(Map<String, String> form, String assertionJti) {
        return privateKeyJwt(form, assertionJti, AT);
    }

    private static Map<String, String> authorizationRequest(String clientId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", clientId);
        params.put("response_type", "code");
        params.put("redirect_uri", REDIRECT_URI);
        params.put("scope", String.join(" ", SCOPES));
        params.put("code_challenge", CODE_CHALLENGE);
        params.put("code_challenge_method", "S256");
        params.put("state", STATE);
        params.put("nonce", OIDC_NONCE);
        return params;
    }

    static Event discovery() {
        return new Event("GET", "/.well-known/openid-configuration").header("Accept", "application/json");
    }

    static Event oauthMetadata() {
        return new Event("GET", "/.well-known/oauth-authorization-server").header("Accept", "application/json");
    }

    static Event jwks() {
        return new Event("GET", "/jwks").header("Accept", "application/jwk-set+json, application/json");
    }

    /** POST /par: private_key_jwt, a DPoP proof (with the nonce) binding the future code. */
    static Event par(String assertionJti, String proofJti) {
        return par(assertionJti, proofJti, AT);
    }

    /** The same PAR request with its JWTs made at another instant (still with the sample nonce). */
    static Event par(String assertionJti, String proofJti, Instant at) {
        return new Event("POST", "/par")
                .header("Accept", "application/json")
                .header("DPoP", dpopProof("POST", ISSUER + "/par", proofJti, at, c -> c))
                .form(privateKeyJwt(authorizationRequest(CLIENT_ID), assertionJti, at));
    }

    /** POST /par on the mTLS host: the mTLS client, authenticated by its certificate (client_id, no assertion). */
    static Event parMtls() {
        return new Event("POST", "/par").mtls()
                .header("Accept", "application/json")
                .form(authorizationRequest(MTLS_CLIENT_ID));
    }

    /** GET /authorize in a browser that has not started this authorization yet. */
    static Event authorize() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", CLIENT_ID);
        query.put("request_uri", REQUEST_URI);
        return new Event("GET", "/authorize").browser()
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .header("Accept-Language", "en-GB,en;q=0.5")
                .query(query);
    }

    /** The login form posted by the browser that started the authorization (its interaction cookie, the CSRF token). */
    static Event authorizeLogin() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", CLIENT_ID);
        form.put("request_uri", REQUEST_URI);
        form.put("csrf", CSRF);
        form.put("step", "login");
        form.put("username", USERNAME);
        form.put("password", PASSWORD);
        return new Event("POST", "/authorize").browser()
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .header("Accept-Language", "en-GB,en;q=0.5")
                .header("Origin", ISSUER)
                .header("Referer", ISSUER + "/")
                .header("Cookie", INTERACTION_COOKIE + "=" + INTERACTION_ID)
                .form(form);
    }

    /** POST /token: the code with its PKCE verifier, private_key_jwt, a DPoP proof of the key the code is bound to. */
    static Event token(String assertionJti, String proofJti) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", CODE);
        form.put("redirect_uri", REDIRECT_URI);
        form.put("code_verifier", CODE_VERIFIER);
        return new Event("POST", "/token")
                .header("Accept", "application/json")
                .header("DPoP", dpopProof("POST", ISSUER + "/token", proofJti, c -> c))
                .form(privateKeyJwt(form, assertionJti));
    }

    /** POST /token with the refresh token, private_key_jwt and a proof of the grant's DPoP key. */
    static Event tokenRefresh(String assertionJti, String proofJti) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", REFRESH_TOKEN);
        return new Event("POST", "/token")
                .header("Accept", "application/json")
                .header("DPoP", dpopProof("POST", ISSUER + "/token", proofJti, c -> c))
                .form(privateKeyJwt(form, assertionJti));
    }

    /** POST /token on the mTLS host: the mTLS client's code; the certificate authenticates and binds. */
    static Event tokenMtls() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", MTLS_CODE);
        form.put("redirect_uri", REDIRECT_URI);
        form.put("code_verifier", CODE_VERIFIER);
        form.put("client_id", MTLS_CLIENT_ID);
        return new Event("POST", "/token").mtls().header("Accept", "application/json").form(form);
    }

    /** GET /userinfo with a DPoP-bound access token and a proof with ath and the nonce. */
    static Event userinfo(String accessToken, String proofJti) {
        return dpopGet("/userinfo", accessToken, proofJti);
    }

    /** A GET on the issuer's domain with a DPoP-bound access token and a proof for that URL with ath and the nonce. */
    private static Event dpopGet(String path, String accessToken, String proofJti) {
        return new Event("GET", path)
                .header("Accept", "application/json")
                .header("Authorization", "DPoP " + accessToken)
                .header("DPoP", dpopProof("GET", ISSUER + path, proofJti,
                        c -> c.claim("ath", Hashes.sha256Url(accessToken))))
                .header("x-fapi-interaction-id", INTERACTION_ID_HEADER);
    }

    /** GET /userinfo on the mTLS host with a certificate-bound access token (Bearer scheme, RFC 8705 3). */
    static Event userinfoMtls(String accessToken) {
        return new Event("GET", "/userinfo").mtls()
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + accessToken)
                .header("x-fapi-interaction-id", INTERACTION_ID_HEADER);
    }

    /** POST /introspect: the sample client asks about its DPoP-bound access token (private_key_jwt, RFC 7662). */
    static Event introspect(String accessToken, String assertionJti) {
        return aboutToken("/introspect", accessToken, "access_token", assertionJti);
    }

    /** POST /revoke: the sample client revokes its refresh token, and with it the grant (RFC 7009, a logout). */
    static Event revoke(String assertionJti) {
        return aboutToken("/revoke", REFRESH_TOKEN, "refresh_token", assertionJti);
    }

    /** A POST of the sample client about one of its tokens (RFC 7662 2.1, RFC 7009 2.1), with private_key_jwt. */
    private static Event aboutToken(String path, String token, String hint, String assertionJti) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("token_type_hint", hint);
        return new Event("POST", path).header("Accept", "application/json").form(privateKeyJwt(form, assertionJti));
    }

    /** GET /accounts as the client sends it: its DPoP-bound access token (for the API too) and a proof for the API's URL. */
    private static Event accountsRequest(String accessToken, String proofJti) {
        return dpopGet("/accounts", accessToken, proofJti);
    }

    /** The REQUEST event API Gateway sends the DPoP authorizer for that GET /accounts. */
    static Event authorizer(String accessToken, String proofJti) {
        return accountsRequest(accessToken, proofJti).asAuthorizerRequest();
    }

    /** The proxy event of that GET /accounts once the authorizer allowed it: its context in requestContext.authorizer. */
    static Event accounts(String accessToken, String proofJti) {
        Map<String, Object> allowed = new LinkedHashMap<>();
        allowed.put("sub", USERNAME);
        allowed.put("client_id", CLIENT_ID);
        allowed.put("scope", String.join(" ", SCOPES));
        allowed.put("principalId", USERNAME);
        allowed.put("integrationLatency", 0);
        return accountsRequest(accessToken, proofJti).authorizedBy(allowed);
    }

    /**
     * An access token as the server issues it (TokenIssuer's claims) for the sample grant, signed
     * PS256 by the sample server key: bound to the DPoP key, or for the mTLS grant to the certificate.
     */
    static String accessToken(boolean mtls) {
        return accessToken(mtls, List.of(ISSUER));
    }

    /** The same access token for other audiences: with {@link #API_AUDIENCE}, as the authorizer wants it. */
    static String accessToken(boolean mtls, List<String> audiences) {
        Map<String, Object> cnf = mtls ? Map.of("x5t#S256", clientCertThumbprint()) : Map.of("jkt", dpopJkt());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(USERNAME)
                .audience(audiences)
                .claim("client_id", mtls ? MTLS_CLIENT_ID : CLIENT_ID)
                .claim("scope", String.join(" ", SCOPES))
                .issueTime(Date.from(AT))
                .expirationTime(Date.from(AT.plus(Duration.ofMinutes(5))))
                .jwtID(mtls ? "sample-access-token-mtls" : "sample-access-token")
                .claim("auth_time", AUTH_TIME.getEpochSecond())
                .claim(TokenIssuer.GRANT_CLAIM, mtls ? MTLS_GRANT_ID : GRANT_ID)
                .claim("cnf", cnf)
                .build();
        return new JwtSigner(keyService()).sign(JWSAlgorithm.PS256, TokenIssuer.AT_JWT, claims);
    }

    /** The access token a sample event carries in its Authorization header. */
    static String accessTokenOf(String eventJson) throws java.text.ParseException {
        Map<String, Object> event = JSONObjectUtils.parse(eventJson);
        String authorization = (String) JSONObjectUtils.getJSONObject(event, "headers").get("Authorization");
        return authorization.substring(authorization.indexOf(' ') + 1);
    }

    /**
     * Rewrites events/*.json (run by hand when the sample changes), from functions/aws after
     * {@code mvn -q -B -o test-compile}: {@code java -cp target/test-classes:target/classes:<the
     * dependency:build-classpath output> dev.fapi2lambda.aws.SampleEvents}. With {@code --keys [dir]}
     * it writes the sample keys that are missing instead.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "--keys".equals(args[0])) {
            makeKeys(Path.of(args.length > 1 ? args[1] : "src/test/resources"));
            return;
        }
        write("discovery.json", discovery());
        write("oauth-metadata.json", oauthMetadata());
        write("jwks.json", jwks());
        write("par.json", par("sample-assertion-par", "sample-proof-par"));
        write("par-mtls.json", parMtls());
        write("authorize.json", authorize());
        write("authorize-login.json", authorizeLogin());
        write("token.json", token("sample-assertion-token", "sample-proof-token"));
        write("token-refresh.json", tokenRefresh("sample-assertion-refresh", "sample-proof-refresh"));
        write("token-mtls.json", tokenMtls());
        write("userinfo.json", userinfo(accessToken(false), "sample-proof-userinfo"));
        write("userinfo-mtls.json", userinfoMtls(accessToken(true)));
        write("introspect.json", introspect(accessToken(false), "sample-assertion-introspect"));
        write("revoke.json", revoke("sample-assertion-revoke"));
        String forTheApi = accessToken(false, List.of(ISSUER, API_AUDIENCE));
        write("authorizer.json", authorizer(forTheApi, "sample-proof-accounts"));
        write("accounts.json", accounts(forTheApi, "sample-proof-accounts"));
    }

    private static void write(String name, Event event) throws IOException {
        Files.writeString(EVENTS.resolve(name), event.json(requestId(name)) + "\n");
    }

    private static String pretty(String json) {
        return new com.nimbusds.jose.shaded.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create()
                .toJson(com.nimbusds.jose.shaded.gson.JsonParser.parseString(json));
    }

    /** Makes the sample keys that are missing (run once; they are committed as test resources, never replaced). */
    static void makeKeys(Path dir) throws IOException {
        Map<String, java.util.function.Supplier<JWK>> keys = new LinkedHashMap<>();
        keys.put("sample-client.jwk", TestKeys::ec);
        keys.put("sample-dpop.jwk", TestKeys::ec);
        keys.put("sample-server-ps256.jwk", TestKeys::rsa);
        keys.put("sample-server-es256.jwk", TestKeys::ec);
        for (Map.Entry<String, java.util.function.Supplier<JWK>> key : keys.entrySet()) {
            Path file = dir.resolve(key.getKey());
            if (!Files.exists(file)) {
                Files.writeString(file, key.getValue().get().toJSONString() + "\n");
            }
        }
    }

    /** The claims of a JWT without verifying it (for assertions about what a sample carries). */
    static Optional<JWTClaimsSet> claimsOf(String jwt) {
        try {
            return Optional.of(com.nimbusds.jwt.SignedJWT.parse(jwt).getJWTClaimsSet());
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }
}
