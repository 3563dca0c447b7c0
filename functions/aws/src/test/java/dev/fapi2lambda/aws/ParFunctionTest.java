package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** events/par.json and events/par-mtls.json through ParFunction. */
class ParFunctionTest extends FunctionTestSupport {

    @Test
    @DisplayName("C-PAR-2 events/par.json: 201 with a request_uri, stored by its hash with the proof's DPoP key")
    void par() throws Exception {
        Map<String, Object> response = invoke(new ParFunction(components), SampleEvents.read("par.json"));
        assertProxyShape(response);
        assertEquals(201L, status(response), body(response));
        Map<String, Object> body = json(response);
        String requestUri = (String) body.get("request_uri");
        assertTrue(requestUri.startsWith("urn:ietf:params:oauth:request_uri:"));
        assertEquals(60L, body.get("expires_in"));
        assertEquals("no-store", headers(response).get("Cache-Control"));
        List<Item> stored = store.list("par#");
        assertEquals(1, stored.size());
        assertFalse(stored.get(0).attributes().containsValue(requestUri), "the request_uri value is never stored");
        assertEquals(SampleEvents.dpopJkt(), stored.get(0).string("dpopJkt").orElseThrow());
        assertEquals(SampleEvents.CODE_CHALLENGE, stored.get(0).string("codeChallenge").orElseThrow());
    }

    @Test
    @DisplayName("C-PAR-9 events/par.json sent twice: the replayed request is refused (its DPoP proof jti is used once)")
    void parReplay() throws Exception {
        assertEquals(201L, status(invoke(new ParFunction(components), SampleEvents.read("par.json"))));
        Map<String, Object> second = invoke(new ParFunction(components), SampleEvents.read("par.json"));
        // The proof's jti is checked before the assertion's is recorded (so a use_dpop_nonce retry can
        // resend the same assertion); the assertion jti's single use is proven in ClientAuthenticationTest
        // and, through the server, in LocalServerEndToEndTest.
        assertError(second, 400, "invalid_dpop_proof");
    }

    @Test
    @DisplayName("C-PAR-8 events/par.json two minutes later: the client assertion has expired")
    void parExpired() throws Exception {
        clock.advance(Duration.ofMinutes(2));
        Map<String, Object> response = invoke(new ParFunction(components), SampleEvents.read("par.json"));
        assertError(response, 401, "invalid_client");
    }

    @Test
    @DisplayName("C-PAR-1 events/par.json as GET: 405 with Allow: POST")
    void parGet() throws Exception {
        Map<String, Object> response = invoke(new ParFunction(components), withMethod(SampleEvents.read("par.json"), "GET"));
        assertError(response, 405, "invalid_request");
        assertEquals("POST", headers(response).get("Allow"));
    }

    @Test
    @DisplayName("RFC 9449 8: events/par.json where the table holds no nonce yet: 400 use_dpop_nonce with a fresh DPoP-Nonce")
    void parWithoutServerNonce() throws Exception {
        DynamoDbItemStore empty = TestDynamo.freshStore();
        SampleTable.clients(empty);
        Map<String, Object> response = invoke(new ParFunction(components(empty)), SampleEvents.read("par.json"));
        assertError(response, 400, "use_dpop_nonce");
        String nonce = headers(response).get("DPoP-Nonce");
        assertTrue(nonce != null && nonce.length() >= 43, "a fresh nonce of 256 bits");
        assertNotEquals(SampleEvents.DPOP_NONCE, nonce);
        assertTrue(empty.list("par#").isEmpty());
    }

    @Test
    @DisplayName("RFC 9449 8: the sample nonce is accepted in the next window (as the previous one), not two windows on")
    void nonceWindows() throws Exception {
        Instant nextWindow = SampleEvents.AT.plusSeconds(60);
        clock.advance(Duration.ofSeconds(60));
        Map<String, Object> next = invoke(new ParFunction(components),
                SampleEvents.par("assertion-next-window", "proof-next-window", nextWindow), "req-1");
        assertEquals(201L, status(next), body(next));

        Instant twoOn = SampleEvents.AT.plusSeconds(120);
        clock.advance(Duration.ofSeconds(60));
        Map<String, Object> later = invoke(new ParFunction(components),
                SampleEvents.par("assertion-two-windows-on", "proof-two-windows-on", twoOn), "req-2");
        assertError(later, 400, "use_dpop_nonce");
        assertNotEquals(SampleEvents.DPOP_NONCE, headers(later).get("DPoP-Nonce"));
    }

    @Test
    @DisplayName("RFC 8705 events/par-mtls.json: the mTLS client authenticates with its certificate, 201, no DPoP key bound")
    void parMtls() throws Exception {
        Map<String, Object> response = invoke(new ParFunction(components), SampleEvents.read("par-mtls.json"));
        assertProxyShape(response);
        assertEquals(201L, status(response), body(response));
        Item stored = store.list("par#").get(0);
        assertEquals(SampleEvents.MTLS_CLIENT_ID, stored.required("clientId"));
        assertTrue(stored.string("dpopJkt").isEmpty());
    }

    @Test
    @DisplayName("RFC 8705 2 events/par-mtls.json without the certificate: 401 invalid_client")
    void parMtlsWithoutCertificate() throws Exception {
        Map<String, Object> response = invoke(new ParFunction(components), withoutClientCert(SampleEvents.read("par-mtls.json")));
        assertError(response, 401, "invalid_client");
        assertTrue(store.list("par#").isEmpty());
    }

    @Test
    @DisplayName("an unexpected fault is 500 server_error with the request id, and no stack trace or detail")
    void unexpectedFault() throws Exception {
        ItemStore broken = new ItemStore() {
            @Override
            public Optional<Item> get(String pk, Instant now) {
                throw new IllegalStateException("secret detail: table fapi2 unreachable");
            }

            @Override
            public void put(Item item) {
                throw new IllegalStateException();
            }

            @Override
            public boolean putIfAbsent(Item item, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public Item putIfAbsentOrGet(Item item, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public Optional<Item> consume(String pk, Instant now) {
                throw new IllegalStateException();
            }


            @Override
            public long increment(String pk, String attribute, Instant expiresAt, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public Optional<Item> change(dev.fapi2lambda.core.store.Change change, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public java.util.OptionalInt transact(List<dev.fapi2lambda.core.store.Write> writes, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public Map<String, Item> getAll(java.util.Collection<String> pks, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public List<Item> list(String prefix) {
                throw new IllegalStateException();
            }
        };
        Map<String, Object> response = invoke(new ParFunction(components(broken)), SampleEvents.read("par.json"));
        assertError(response, 500, "server_error");
        String body = body(response);
        assertTrue(body.contains(SampleEvents.requestId("par.json")));
        assertFalse(body.contains("secret detail"));
        assertFalse(body.contains("at dev.fapi2lambda"));
    }

    @Test
    @DisplayName("a body that is not UTF-8 is 400 invalid_request, not 500")
    void invalidUtf8() throws Exception {
        String event = "{\"httpMethod\":\"POST\",\"path\":\"/par\",\"multiValueHeaders\":{\"Content-Type\":"
                + "[\"application/x-www-form-urlencoded\"]},\"body\":\"/2E9Yg==\",\"isBase64Encoded\":true,\"requestContext\":{}}";
        Map<String, Object> response = invoke(new ParFunction(components), event);
        assertError(response, 400, "invalid_request");
    }
}
