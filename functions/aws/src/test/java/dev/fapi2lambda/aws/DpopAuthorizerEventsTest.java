package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.DpopResourceCases;
import dev.fapi2lambda.core.testing.DpopResourceCases.Case;
import dev.fapi2lambda.core.testing.DpopResourceCases.Context;
import dev.fapi2lambda.core.testing.DpopResourceCases.Outcome;
import dev.fapi2lambda.core.testing.DpopResourceCases.ResourceRequest;
import dev.fapi2lambda.core.testing.TestKeys;
import dev.fapi2lambda.core.token.Grant;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * C-RS-1..3 at the Lambda authorizer: the shared DPoP negative list ({@link DpopResourceCases}) as
 * API Gateway REQUEST authorizer events, through {@code handleRequest}. Allow carries sub,
 * client_id and scope; Deny carries error, errorDescription, wwwAuthenticate and dpopNonce, and
 * {@link GatewayResponses#denied} turns it into the 401 API Gateway sends, with the
 * WWW-Authenticate and DPoP-Nonce headers: the gateway-response approach produces the headers.
 */
class DpopAuthorizerEventsTest {
    private static final Pattern ERROR = Pattern.compile("^DPoP error=\"([a-z_]+)\"");
    /** The client's DPoP key (RSA: the RS256 case then differs from a valid proof only in alg). */
    private static final RSAKey DPOP_KEY = TestKeys.rsa();
    private AuthorizerHarness harness;
    private DpopAuthorizerFunction authorizer;
    private Context context;

    @BeforeEach
    void setUp() {
        harness = new AuthorizerHarness();
        authorizer = harness.authorizer(Optional.of(Duration.ZERO));
        Grant grant = harness.grant(DPOP_KEY);
        context = new Context(harness.accessToken(grant), DPOP_KEY, AuthorizerHarness.AUDIENCE, harness.nonce(),
                harness.clock.instant());
    }

    static Stream<Case> cases() {
        return DpopResourceCases.all().stream();
    }

    private Map<String, Object> decide(ResourceRequest request) throws Exception {
        return AuthorizerHarness.decide(authorizer, AuthorizerHarness.event(request));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("C-RS-1 C-RS-2 C-RS-3 the DPoP negative list at the authorizer")
    void negativeList(Case c) throws Exception {
        List<ResourceRequest> requests = c.requests().apply(context);
        for (ResourceRequest before : requests.subList(0, requests.size() - 1)) {
            assertAllowed(decide(before));
        }
        Map<String, Object> decision = decide(requests.get(requests.size() - 1));
        switch (c.outcome()) {
            case ACCEPTED -> assertAllowed(decision);
            case REJECTED -> {
                String error = assertDenied(decision).error;
                assertTrue(error.equals("invalid_dpop_proof") || error.equals("invalid_token"), error);
            }
            case NONCE -> {
                Denied denied = assertDenied(decision);
                assertEquals("use_dpop_nonce", denied.error);
                String nonce = (String) AuthorizerHarness.context(decision).get(GatewayResponses.DPOP_NONCE);
                assertFalse(nonce.isBlank());
                assertEquals(context.nonce(), nonce, "the current nonce");
                assertEquals(nonce, denied.response.headers().get("DPoP-Nonce"));
            }
            case REFUSED -> {
                String error = assertDenied(decision).error;
                assertTrue(error.equals("invalid_request") || error.equals("invalid_token"), error);
            }
            default -> throw new IllegalStateException(c.outcome().toString());
        }
        if (c.outcome() != Outcome.NONCE && c.outcome() != Outcome.ACCEPTED) {
            assertFalse(denied(decision).headers().containsKey("DPoP-Nonce"), "a DPoP-Nonce only with use_dpop_nonce");
        }
    }

    private static void assertAllowed(Map<String, Object> decision) throws Exception {
        Map<String, Object> ctx = AuthorizerHarness.context(decision);
        assertEquals("Allow", AuthorizerHarness.effect(decision), ctx.toString());
        assertEquals(AuthorizerHarness.SUBJECT, decision.get("principalId"));
        assertEquals(Map.of("sub", AuthorizerHarness.SUBJECT, "client_id", AuthorizerHarness.CLIENT_ID,
                "scope", "openid accounts"), ctx);
        // The backend behind the authorizer reads only this context.
        Response accounts = AccountsFunction.handle(backendEvent(decision));
        assertEquals(200, accounts.status(), accounts.body());
        assertEquals(AuthorizerHarness.SUBJECT, JSONObjectUtils.parse(accounts.body()).get("sub"));
    }

    /** The proxy event the backend gets after an Allow: requestContext.authorizer is the context plus principalId. */
    private static String backendEvent(Map<String, Object> decision) {
        Map<String, Object> authorizer = new LinkedHashMap<>(AuthorizerHarness.context(decision));
        authorizer.put("principalId", decision.get("principalId"));
        return JSONObjectUtils.toJSONString(Map.of("httpMethod", "GET", "path", "/accounts",
                "requestContext", Map.of("authorizer", authorizer)));
    }

    private record Denied(String error, Response response) {
    }

    /** A Deny with the full context, and the ACCESS_DENIED gateway response it becomes. */
    private static Denied assertDenied(Map<String, Object> decision) {
        Map<String, Object> ctx = AuthorizerHarness.context(decision);
        assertEquals("Deny", AuthorizerHarness.effect(decision), ctx.toString());
        assertEquals("anonymous", decision.get("principalId"));
        String error = (String) ctx.get(GatewayResponses.ERROR);
        assertNotNull(error, ctx.toString());
        assertFalse(((String) ctx.get(GatewayResponses.ERROR_DESCRIPTION)).isBlank(), ctx.toString());
        String challenge = (String) ctx.get(GatewayResponses.WWW_AUTHENTICATE);
        Matcher matcher = ERROR.matcher(challenge);
        assertTrue(matcher.find(), challenge);
        assertEquals(error, matcher.group(1), challenge);
        // A nonce travels only with use_dpop_nonce: no empty DPoP-Nonce header otherwise.
        assertEquals("use_dpop_nonce".equals(error), ctx.containsKey(GatewayResponses.DPOP_NONCE), ctx.toString());

        Response response = denied(decision);
        assertEquals(401, response.status());
        assertEquals(challenge, response.headers().get("WWW-Authenticate"));
        assertEquals("no-store", response.headers().get("Cache-Control"));
        assertEquals(error, parse(response.body()).get("error"));
        return new Denied(error, response);
    }

    private static Response denied(Map<String, Object> decision) {
        return GatewayResponses.denied(AuthorizerHarness.context(decision));
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSONObjectUtils.parse(json);
        } catch (java.text.ParseException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Test
    @DisplayName("C-RS-3 the nonce the Deny hands out is accepted on the next request")
    void nonceRoundTrip() throws Exception {
        Context noNonce = new Context(context.accessToken(), DPOP_KEY, context.url(), null, context.now());
        Map<String, Object> first = decide(DpopResourceCases.valid(noNonce));
        assertEquals("Deny", AuthorizerHarness.effect(first));
        String nonce = (String) AuthorizerHarness.context(first).get(GatewayResponses.DPOP_NONCE);
        assertEquals(nonce, denied(first).headers().get("DPoP-Nonce"));
        Context withNonce = new Context(context.accessToken(), DPOP_KEY, context.url(), nonce, context.now());
        assertAllowed(decide(DpopResourceCases.valid(withNonce)));
    }

    @Test
    @DisplayName("the mTLS host: htu must name the mTLS origin when the request came with a client certificate")
    void mtlsHostHtu() throws Exception {
        var certificate = dev.fapi2lambda.core.testing.TestCertificates.authority("CN=Authorizer Test CA")
                .issue("CN=client-1").certificate();
        Context onMtls = new Context(context.accessToken(), DPOP_KEY, AuthorizerHarness.MTLS_API + "/accounts",
                context.nonce(), context.now());
        String event = withCertificate(AuthorizerHarness.event(DpopResourceCases.valid(onMtls)), certificate);
        assertAllowed(AuthorizerHarness.decide(authorizer, event));
        // The plain host's URL in a proof sent to the mTLS host names another resource.
        String wrongHost = withCertificate(AuthorizerHarness.event(DpopResourceCases.valid(context)), certificate);
        Denied denied = assertDenied(AuthorizerHarness.decide(authorizer, wrongHost));
        assertEquals("invalid_dpop_proof", denied.error);
    }

    @SuppressWarnings("unchecked")
    private static String withCertificate(String event, java.security.cert.X509Certificate certificate) throws Exception {
        Map<String, Object> json = JSONObjectUtils.parse(event);
        Map<String, Object> identity = (Map<String, Object>) ((Map<String, Object>) json.get("requestContext")).get("identity");
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        identity.put("clientCert", Map.of("clientCertPem", pem));
        return JSONObjectUtils.toJSONString(json);
    }

    @Test
    @DisplayName("an event that is no proxy event fails closed: Deny invalid_token, no exception")
    void garbageEventFailsClosed() throws Exception {
        Map<String, Object> decision = AuthorizerHarness.decide(authorizer, "{\"methodArn\":\"" + AuthorizerHarness.METHOD_ARN
                + "\",\"requestContext\":{\"identity\":{\"clientCert\":{\"clientCertPem\":\"not a certificate\"}}}}");
        assertEquals("invalid_token", assertDenied(decision).error);
    }
}
