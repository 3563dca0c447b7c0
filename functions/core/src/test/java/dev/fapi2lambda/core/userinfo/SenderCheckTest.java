package dev.fapi2lambda.core.userinfo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.dpop.DpopProof;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import dev.fapi2lambda.core.testing.TestCertificates;
import dev.fapi2lambda.core.testing.TestKeys;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * FAPI 2.0 SP 5.3.3 at the resource: every binding in cnf is proven. cnf.x5t#S256 needs the same
 * client certificate on the connection (RFC 8705 3), cnf.jkt the DPoP scheme and a proof of the
 * key (RFC 9449 7); failures are 401 invalid_token.
 */
class SenderCheckTest {
    private static final TestCertificates.Authority CA = TestCertificates.authority("CN=Resource Test CA");
    private static final String TOKEN = "eyJ.access.token";
    private final X509Certificate cert = CA.issue("CN=client-a").certificate();
    private final X509Certificate otherCert = CA.issue("CN=client-a").certificate();
    private final ECKey dpopKey = TestKeys.ec();
    private final DpopProof proof = new DpopProof(TestKeys.thumbprint(dpopKey), dpopKey.toPublicJWK(), "proof-jti");
    private final AtomicInteger proofCalls = new AtomicInteger();

    private static final ResourceErrors.Presented BEARER = new ResourceErrors.Presented("bearer", TOKEN);
    private static final ResourceErrors.Presented DPOP = new ResourceErrors.Presented("dpop", TOKEN);

    private static JWTClaimsSet claims(Map<String, Object> cnf) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject("alice").issuer("https://as.example.test");
        if (cnf != null) {
            builder.claim("cnf", cnf);
        }
        return builder.build();
    }

    private JWTClaimsSet x5tToken() {
        return claims(Map.of("x5t#S256", CertificateTrust.thumbprint(cert)));
    }

    private JWTClaimsSet jktToken() {
        return claims(Map.of("jkt", proof.jkt()));
    }

    private static Request request(Optional<X509Certificate> certificate) {
        return new Request("GET", Paths.USERINFO, Headers.of(Map.of("Authorization", List.of("x"))), Map.of(),
                new byte[0], certificate, "sender-check");
    }

    /** A proof supplier that counts its calls and returns the proof. */
    private Supplier<DpopProof> validProof() {
        return () -> {
            proofCalls.incrementAndGet();
            return proof;
        };
    }

    /** A proof supplier that fails as the validator does for a missing or bad proof. */
    private Supplier<DpopProof> failingProof() {
        return () -> {
            proofCalls.incrementAndGet();
            throw OAuthException.status(401, "invalid_dpop_proof", "a DPoP proof is required");
        };
    }

    private static String assertInvalidToken(Executable call) {
        Response response = OAuthAssertions.assertError(401, "invalid_token", call);
        assertTrue(response.header("WWW-Authenticate").contains("error=\"invalid_token\""),
                () -> "WWW-Authenticate: " + response.header("WWW-Authenticate"));
        return String.valueOf(OAuthAssertions.json(response).get("error_description"));
    }

    @Test
    @DisplayName("RFC 8705 3: a cnf.x5t#S256 token presented as Bearer over mTLS with the same certificate passes, without asking for a DPoP proof")
    void x5tTokenWithSameCertificatePasses() {
        assertDoesNotThrow(() -> SenderCheck.check(x5tToken(), BEARER, request(Optional.of(cert)), failingProof()));
        assertEquals(0, proofCalls.get(), "no DPoP proof is read for a certificate-bound token");
    }

    @Test
    @DisplayName("RFC 8705 3: a cnf.x5t#S256 token with another client certificate is 401 invalid_token")
    void x5tTokenWithOtherCertificateIsRejected() {
        String description = assertInvalidToken(
                () -> SenderCheck.check(x5tToken(), BEARER, request(Optional.of(otherCert)), validProof()));
        assertTrue(description.contains("not the one the token is bound to"), description);
    }

    @Test
    @DisplayName("RFC 8705 3: a cnf.x5t#S256 token without a client certificate is 401 invalid_token")
    void x5tTokenWithoutCertificateIsRejected() {
        String description = assertInvalidToken(
                () -> SenderCheck.check(x5tToken(), BEARER, request(Optional.empty()), validProof()));
        assertTrue(description.contains("bound to a client certificate"), description);
    }

    @Test
    @DisplayName("RFC 9449 7.2: a cnf.jkt token presented as Bearer is 401 invalid_token (downgrade), even over mTLS")
    void jktTokenAsBearerIsRejected() {
        String description = assertInvalidToken(
                () -> SenderCheck.check(jktToken(), BEARER, request(Optional.of(cert)), validProof()));
        assertTrue(description.contains("DPoP scheme"), description);
    }

    @Test
    @DisplayName("RFC 8705 3 / RFC 9449 7.1: a cnf.x5t#S256 token presented with the DPoP scheme is 401 invalid_token, even with the right certificate")
    void x5tTokenWithDpopSchemeIsRejected() {
        String description = assertInvalidToken(
                () -> SenderCheck.check(x5tToken(), DPOP, request(Optional.of(cert)), validProof()));
        assertTrue(description.contains("not DPoP-bound"), description);
    }

    @Test
    @DisplayName("FAPI 2.0 SP 5.3.3: a token without cnf (or with an empty or unknown cnf) is 401 invalid_token, whatever the scheme")
    void tokenWithoutCnfIsRejected() {
        for (JWTClaimsSet claims : List.of(claims(null), claims(Map.of()), claims(Map.of("x5t", "abc")))) {
            for (ResourceErrors.Presented presented : List.of(BEARER, DPOP)) {
                String description = assertInvalidToken(
                        () -> SenderCheck.check(claims, presented, request(Optional.of(cert)), validProof()));
                assertTrue(description.contains("not sender-constrained"), description);
            }
        }
        JWTClaimsSet cnfString = new JWTClaimsSet.Builder().claim("cnf", "x5t#S256").build();
        assertInvalidToken(() -> SenderCheck.check(cnfString, BEARER, request(Optional.of(cert)), validProof()));
    }

    @Test
    @DisplayName("RFC 9449 7: a cnf.jkt token with the DPoP scheme and a proof of that key passes; a proof of another key is 401 invalid_token")
    void jktTokenWithDpop() {
        assertDoesNotThrow(() -> SenderCheck.check(jktToken(), DPOP, request(Optional.empty()), validProof()));
        ECKey other = TestKeys.ec();
        DpopProof otherProof = new DpopProof(TestKeys.thumbprint(other), other.toPublicJWK(), "j2");
        assertInvalidToken(() -> SenderCheck.check(jktToken(), DPOP, request(Optional.empty()), () -> otherProof));
    }

    @Test
    @DisplayName("RFC 9449 7: a cnf.jkt token whose proof fails gets the proof's error")
    void jktTokenWithFailingProof() {
        OAuthAssertions.assertError(401, "invalid_dpop_proof",
                () -> SenderCheck.check(jktToken(), DPOP, request(Optional.empty()), failingProof()));
    }

    @Test
    @DisplayName("FAPI 2.0 SP 5.3.3: a token bound to both a DPoP key and a certificate needs both the proof and the same certificate")
    void tokenBoundToBothNeedsBoth() {
        Map<String, Object> cnf = new LinkedHashMap<>();
        cnf.put("jkt", proof.jkt());
        cnf.put("x5t#S256", CertificateTrust.thumbprint(cert));
        JWTClaimsSet both = claims(cnf);
        assertDoesNotThrow(() -> SenderCheck.check(both, DPOP, request(Optional.of(cert)), validProof()));
        assertInvalidToken(() -> SenderCheck.check(both, DPOP, request(Optional.empty()), validProof()));
        assertInvalidToken(() -> SenderCheck.check(both, DPOP, request(Optional.of(otherCert)), validProof()));
        assertInvalidToken(() -> SenderCheck.check(both, BEARER, request(Optional.of(cert)), validProof()));
        OAuthAssertions.assertError(401, "invalid_dpop_proof",
                () -> SenderCheck.check(both, DPOP, request(Optional.of(cert)), failingProof()));
    }
}
