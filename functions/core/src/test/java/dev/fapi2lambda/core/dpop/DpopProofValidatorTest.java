package dev.fapi2lambda.core.dpop;

import static dev.fapi2lambda.core.testing.CoreFixture.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import dev.fapi2lambda.core.testing.RequiredDpopNonce;
import dev.fapi2lambda.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DPoP proofs at the authorization server (RFC 9449 4.3, 5, 8): every failure is 400 invalid_dpop_proof. */
class DpopProofValidatorTest {
    private static final String PAR_URL = ISSUER + "/par";
    private static final DpopProofValidator.Expectation AT_PAR = DpopProofValidator.Expectation.atAuthorizationServer(PAR_URL);
    private final CoreFixture f = new CoreFixture();
    private final ECKey ec = TestKeys.ec();
    private final RSAKey rsa = TestKeys.rsa();

    private Instant now() {
        return f.clock.instant();
    }

    private Date in(int seconds) {
        return Date.from(now().plusSeconds(seconds));
    }

    private static Request request(String... proofs) {
        return CoreFixture.request("POST", "/par", Map.of("DPoP", List.of(proofs)), new byte[0]);
    }

    private DpopProof validate(String... proofs) {
        return f.dpop.validate(request(proofs), AT_PAR);
    }

    /** A valid ES256 proof for POST to PAR, changed by {@code change}. */
    private String proof(UnaryOperator<JWTClaimsSet.Builder> change) {
        return Jwts.dpopProof(ec, "POST", PAR_URL, now(), change);
    }

    private String proofWithHeader(JWK signingKey, JWSHeader header) {
        return Jwts.sign(signingKey, header, Jwts.dpopClaims("POST", PAR_URL, now()).build());
    }

    private static Map<String, Object> header(String alg, JWK jwk) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("alg", alg);
        header.put("jwk", jwk.toJSONObject());
        return header;
    }

    private void assertInvalid(String... proofs) {
        OAuthAssertions.assertError(400, "invalid_dpop_proof", () -> validate(proofs));
    }

    private void assertAccepted(String proof) {
        assertEquals(TestKeys.thumbprint(ec), validate(proof).jkt());
    }


    @Test
    @DisplayName("C-TOK-7 a valid ES256 proof is accepted and its jkt is the RFC 7638 thumbprint of its key")
    void validEs256Proof() throws Exception {
        DpopProof proof = validate(Jwts.dpopProof(ec, "POST", PAR_URL, now()));
        assertEquals(ec.computeThumbprint().toString(), proof.jkt());
        assertEquals(ec.toPublicJWK(), proof.publicKey());
    }

    @Test
    @DisplayName("C-TOK-7 a valid PS256 proof is accepted and its jkt is the RFC 7638 thumbprint of its key")
    void validPs256Proof() throws Exception {
        assertEquals(rsa.computeThumbprint().toString(), validate(Jwts.dpopProof(rsa, "POST", PAR_URL, now())).jkt());
    }

    @Test
    @DisplayName("C-TOK-7 a proof without typ is rejected")
    void missingTypIsRejected() {
        assertInvalid(proofWithHeader(ec, new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(ec.toPublicJWK()).build()));
    }

    @Test
    @DisplayName("C-TOK-7 a proof with typ JWT instead of dpop+jwt is rejected")
    void wrongTypIsRejected() {
        assertInvalid(proofWithHeader(ec, Jwts.dpopHeader(ec).type(JOSEObjectType.JWT).build()));
    }

    @Test
    @DisplayName("C-TOK-7 a proof signed RS256 is rejected")
    void rs256IsRejected() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(DpopProofValidator.DPOP_JWT).jwk(rsa.toPublicJWK()).build();
        assertInvalid(proofWithHeader(rsa, header));
    }

    @Test
    @DisplayName("C-TOK-7 a proof signed HS256 is rejected")
    void hs256IsRejected() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(DpopProofValidator.DPOP_JWT).jwk(ec.toPublicJWK()).build();
        assertInvalid(proofWithHeader(TestKeys.hmac(), header));
    }

    @Test
    @DisplayName("C-TOK-7 an unsecured proof with alg none is rejected")
    void algNoneIsRejected() {
        assertInvalid(Jwts.unsecured(header("none", ec.toPublicJWK()), Jwts.dpopClaims("POST", PAR_URL, now()).build().toJSONObject()));
    }

    @Test
    @DisplayName("C-TOK-7 a proof without a jwk header is rejected")
    void missingJwkIsRejected() {
        assertInvalid(proofWithHeader(ec, new JWSHeader.Builder(JWSAlgorithm.ES256).type(DpopProofValidator.DPOP_JWT).build()));
    }

    @Test
    @DisplayName("C-TOK-7 a proof whose jwk carries private key material is rejected")
    void privateJwkIsRejected() {
        Map<String, Object> claims = Jwts.dpopClaims("POST", PAR_URL, now()).build().toJSONObject();
        assertInvalid(Jwts.compact(ec, header("ES256", ec), claims));
    }

    @Test
    @DisplayName("C-TOK-7 a proof whose jwk does not fit alg (EC key under PS256) is rejected")
    void jwkNotFittingAlgIsRejected() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.PS256).type(DpopProofValidator.DPOP_JWT).jwk(ec.toPublicJWK()).build();
        assertInvalid(proofWithHeader(rsa, header));
    }

    @Test
    @DisplayName("C-TOK-7 a proof signed by another key than its jwk is rejected")
    void badSignatureIsRejected() {
        ECKey other = TestKeys.ec();
        assertInvalid(proofWithHeader(other, Jwts.dpopHeader(ec).build()));
    }

    @Test
    @DisplayName("C-TOK-7 an ES256 proof whose signature is all zeros (CVE-2022-21449) is rejected")
    void zeroSignatureIsRejected() {
        String valid = proof(c -> c);
        String zeros = Base64URL.encode(new byte[64]).toString();
        assertInvalid(valid.substring(0, valid.lastIndexOf('.') + 1) + zeros);
    }

    @Test
    @DisplayName("C-PAR-9 a proof whose htm is not the request method is rejected")
    void wrongHtmIsRejected() {
        assertInvalid(proof(c -> c.claim("htm", "GET")));
    }

    @Test
    @DisplayName("C-PAR-9 a proof whose htu names another path (the token endpoint) is rejected")
    void otherPathHtuIsRejected() {
        assertInvalid(proof(c -> c.claim("htu", ISSUER + "/token")));
    }

    @Test
    @DisplayName("C-TOK-7 htu with a query and a fragment is compared without them and accepted")
    void htuQueryAndFragmentAreIgnored() {
        assertAccepted(proof(c -> c.claim("htu", PAR_URL + "?x=1&y=2#frag")));
    }

    @Test
    @DisplayName("C-TOK-7 htu with an upper-case host and the explicit default port 443 is normalised and accepted")
    void htuIsNormalised() {
        assertAccepted(proof(c -> c.claim("htu", "https://AS.Example.TEST:443/par")));
    }

    @Test
    @DisplayName("C-TOK-7 a proof with iat 8 s in the future is accepted")
    void iatSlightlyInFutureIsAccepted() {
        assertAccepted(proof(c -> c.issueTime(in(8))));
    }

    @Test
    @DisplayName("C-TOK-7 a proof with iat 11 s in the future is rejected")
    void iatFarInFutureIsRejected() {
        assertInvalid(proof(c -> c.issueTime(in(11))));
    }

    @Test
    @DisplayName("C-TOK-7 a proof with iat 61 s in the past is rejected as too old")
    void oldIatIsRejected() {
        assertInvalid(proof(c -> c.issueTime(in(-61))));
    }

    @ParameterizedTest(name = "iat {0} s from now")
    @ValueSource(ints = {-3600, 3600})
    @DisplayName("C-TOK-7 a proof with iat an hour off in either direction is rejected")
    void iatAnHourOffIsRejected(int seconds) {
        assertInvalid(proof(c -> c.issueTime(in(seconds))));
    }

    @Test
    @DisplayName("C-TOK-7 a proof without iat is rejected")
    void missingIatIsRejected() {
        assertInvalid(proof(c -> c.issueTime(null)));
    }

    @Test
    @DisplayName("C-TOK-7 a proof without jti is rejected")
    void missingJtiIsRejected() {
        assertInvalid(proof(c -> c.jwtID(null)));
    }

    @Test
    @DisplayName("C-TOK-7 the same proof presented twice is rejected the second time")
    void replayedJtiIsRejected() {
        String proof = proof(c -> c);
        assertAccepted(proof);
        assertInvalid(proof);
    }

    @Test
    @DisplayName("C-TOK-7 a request with two DPoP headers is rejected, even if both proofs are valid")
    void twoDpopHeadersAreRejected() {
        assertInvalid(proof(c -> c), proof(c -> c));
    }

    @Test
    @DisplayName("C-TOK-7 unknown extra claims in a proof are ignored and the proof accepted")
    void extraClaimsAreIgnored() {
        assertAccepted(proof(c -> c.claim("extra", "value").claim("another", List.of(1, 2)).expirationTime(in(60))));
    }

    private DpopProof validateWithToken(String proof) {
        var expectation = new DpopProofValidator.Expectation(PAR_URL, Optional.of("access-token-1"),
                OAuthException::invalidDpopProof, AT_PAR.nonceError());
        return f.dpop.validate(request(proof), expectation);
    }

    @Test
    @DisplayName("C-TOK-7 with an access token expected, a proof without ath is rejected")
    void athIsRequiredWithAccessToken() {
        OAuthAssertions.assertError(400, "invalid_dpop_proof", () -> validateWithToken(proof(c -> c)));
    }

    @Test
    @DisplayName("C-TOK-7 with an access token expected, a proof whose ath hashes another token is rejected")
    void wrongAthIsRejected() {
        String proof = proof(c -> c.claim("ath", Hashes.sha256Url("access-token-2")));
        OAuthAssertions.assertError(400, "invalid_dpop_proof", () -> validateWithToken(proof));
    }

    @Test
    @DisplayName("C-TOK-7 with an access token expected, a proof whose ath is the token's SHA-256 is accepted")
    void correctAthIsAccepted() throws Exception {
        String ath = Base64URL.encode(MessageDigest.getInstance("SHA-256")
                .digest("access-token-1".getBytes(StandardCharsets.US_ASCII))).toString();
        assertEquals(ec.computeThumbprint().toString(), validateWithToken(proof(c -> c.claim("ath", ath))).jkt());
    }

    private DpopProof validateWithNonces(String proof) {
        return new DpopProofValidator(f.config, f.store, new RequiredDpopNonce("n1"), f.clock).validate(request(proof), AT_PAR);
    }

    @Test
    @DisplayName("C-PAR-9 when a nonce is required, a proof without one gets 400 use_dpop_nonce and DPoP-Nonce")
    void missingNonceIsChallenged() {
        Response response = OAuthAssertions.assertError(400, "use_dpop_nonce", () -> validateWithNonces(proof(c -> c)));
        assertEquals("n1", response.header("DPoP-Nonce"));
    }

    @Test
    @DisplayName("C-PAR-9 when a nonce is required, a proof with the wrong nonce gets 400 use_dpop_nonce")
    void wrongNonceIsChallenged() {
        Response response = OAuthAssertions.assertError(400, "use_dpop_nonce",
                () -> validateWithNonces(proof(c -> c.claim("nonce", "n0"))));
        assertEquals("n1", response.header("DPoP-Nonce"));
    }

    @Test
    @DisplayName("C-PAR-9 when a nonce is required, a proof with the current nonce is accepted")
    void correctNonceIsAccepted() throws Exception {
        DpopProof proof = validateWithNonces(proof(c -> c.claim("nonce", "n1")));
        assertEquals(ec.computeThumbprint().toString(), proof.jkt());
        assertFalse(proof.jti().isEmpty());
    }
}
