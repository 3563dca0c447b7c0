package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The REST API proxy event (payload 1.0) read into the core Request, and responses written back. */
class ApiGatewayEventsTest {

    @Test
    @DisplayName("the mTLS client certificate survives from events/par-mtls.json to the core Request")
    void clientCertificateSurvives() throws Exception {
        Request request = ApiGatewayEvents.fromJson(SampleEvents.read("par-mtls.json"));
        X509Certificate expected = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(SampleEvents.clientCertPem().getBytes(StandardCharsets.US_ASCII)));
        X509Certificate actual = request.clientCertificate().orElseThrow();
        assertArrayEquals(expected.getEncoded(), actual.getEncoded());
        assertTrue(actual.getSubjectX500Principal().getName().contains("CN=sample-client"));
    }

    @Test
    @DisplayName("the stock APIGatewayProxyRequestEvent would lose it: the field sits in requestContext.identity.clientCert")
    void certificateLivesWhereTheStockClassHasNoField() throws Exception {
        Map<String, Object> event = JSONObjectUtils.parse(SampleEvents.read("par-mtls.json"));
        Map<String, Object> identity = JSONObjectUtils.getJSONObject(JSONObjectUtils.getJSONObject(event, "requestContext"), "identity");
        assertTrue(JSONObjectUtils.getJSONObject(identity, "clientCert").containsKey("clientCertPem"));
    }

    @Test
    @DisplayName("C-TOK-8 a request on the plain host carries no certificate, and headers claiming one are ignored")
    void certificateNeverFromHeaders() throws Exception {
        Map<String, Object> event = JSONObjectUtils.parse(SampleEvents.read("par.json"));
        String pem = SampleEvents.clientCertPem();
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) event.get("headers");
        headers.put("X-Client-Cert", pem.replace("\n", ""));
        headers.put("X-Amzn-Mtls-Clientcert", pem.replace("\n", ""));
        headers.put("ssl-client-cert", pem.replace("\n", ""));
        @SuppressWarnings("unchecked")
        Map<String, Object> multi = (Map<String, Object>) event.get("multiValueHeaders");
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        Request request = ApiGatewayEvents.fromJson(JSONObjectUtils.toJSONString(event));
        assertTrue(request.clientCertificate().isEmpty());
    }

    @Test
    @DisplayName("method, path, headers (case-insensitive, every value), query and body are read")
    void readsTheRequest() throws Exception {
        Request request = ApiGatewayEvents.fromJson(SampleEvents.read("par.json"));
        assertEquals("POST", request.method());
        assertEquals("/par", request.path());
        assertEquals("application/x-www-form-urlencoded", request.headers().first("content-type").orElseThrow());
        assertEquals(1, request.headers().all("dpop").size());
        assertTrue(new String(request.body(), StandardCharsets.UTF_8).contains("response_type=code"));
        assertEquals("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", request.requestId());

        String withQuery = "{\"httpMethod\":\"GET\",\"path\":\"/x\",\"multiValueQueryStringParameters\":{\"a\":[\"1\",\"2\"]},"
                + "\"multiValueHeaders\":{\"DPoP\":[\"p1\",\"p2\"]},\"requestContext\":{}}";
        Request r = ApiGatewayEvents.fromJson(withQuery);
        assertEquals(List.of("1", "2"), r.query().get("a"));
        assertEquals(List.of("p1", "p2"), r.headers().all("dpop"), "two DPoP headers both reach the core");
    }

    @Test
    @DisplayName("a base64 body (isBase64Encoded) is decoded to its bytes")
    void base64Body() {
        byte[] raw = {(byte) 0xff, 'a', '=', 'b'};
        String event = "{\"httpMethod\":\"POST\",\"path\":\"/par\",\"body\":\"" + Base64.getEncoder().encodeToString(raw)
                + "\",\"isBase64Encoded\":true,\"requestContext\":{}}";
        assertArrayEquals(raw, ApiGatewayEvents.fromJson(event).body());
    }

    @Test
    @DisplayName("a certificate field that is not a certificate is refused, never ignored")
    void badCertificate() {
        String event = "{\"httpMethod\":\"GET\",\"path\":\"/x\",\"requestContext\":{\"identity\":{\"clientCert\":"
                + "{\"clientCertPem\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"}}}}";
        assertThrows(IllegalArgumentException.class, () -> ApiGatewayEvents.fromJson(event));
    }

    @Test
    @DisplayName("the response is the proxy integration's JSON: statusCode, headers, body")
    void writesResponse() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ApiGatewayResponses.write(Response.json(201, Map.of("a", "b")), out);
        Map<String, Object> json = JSONObjectUtils.parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(201L, json.get("statusCode"));
        assertEquals("no-store", JSONObjectUtils.getJSONObject(json, "headers").get("Cache-Control"));
        assertEquals("{\"a\":\"b\"}", json.get("body"));
        assertEquals(false, json.get("isBase64Encoded"));
    }
}
