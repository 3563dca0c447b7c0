package dev.fapi2lambda.bench.jmh;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.concurrent.Beside;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The crypto a token request cannot avoid, as bare JCA on the very bytes of a real request: ES256
 * verify of the client assertion, ES256 verify of the DPoP proof, PS256 sign of the access token
 * and of the ID token (RSA key of the same size), and SHA-256 of short values (code, refresh token
 * hashes, PKCE, thumbprint). {@link #floor} is all of them in one call: the floor the token
 * request's time is compared with. The token request signs its two tokens at once (with KMS, two
 * Sign calls in the time of one), so {@link #floorSignaturesAtOnce} is the same work shaped the
 * same way: the ID token signed on a {@link Beside} thread while this one signs the access token.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoFloorBenchmark {
    /** SHA-256s a code redemption needs at least: code key, PKCE, refresh token hash, DPoP thumbprint, ... */
    public static final int SHA256_PER_REQUEST = 6;
    private static final PSSParameterSpec PS256 = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    @Param({"3072"})
    public int rsaBits;

    private byte[] assertionInput;
    private byte[] assertionSignature;
    private PublicKey clientKey;
    private byte[] proofInput;
    private byte[] proofSignature;
    private PublicKey dpopKey;
    private byte[] accessTokenInput;
    private byte[] idTokenInput;
    private PrivateKey serverKey;
    private byte[] shortValue;

    @Setup
    public void setUp() throws Exception {
        TokenFixture.Keys keys = TokenFixture.Keys.generate(rsaBits);
        String assertion = Jwts.clientAssertion(keys.client(), TokenFixture.CLIENT_ID, TokenFixture.ISSUER,
                TokenFixture.NOW);
        String proof = Jwts.dpopProof(keys.dpop(), "POST", TokenFixture.ISSUER + Paths.TOKEN, TokenFixture.NOW,
                c -> c.claim("nonce", "a-nonce-of-the-servers-43-characters-long-x"));
        assertionInput = signingInput(assertion);
        assertionSignature = signature(assertion);
        proofInput = signingInput(proof);
        proofSignature = signature(proof);
        clientKey = keys.client().toPublicKey();
        dpopKey = keys.dpop().toPublicKey();
        serverKey = keys.serverRsa().toPrivateKey();
        TokenFixture fixture = new TokenFixture(keys);
        Response response = fixture.endpoint().handle(fixture.nextRequest());
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        accessTokenInput = signingInput((String) body.get("access_token"));
        idTokenInput = signingInput((String) body.get("id_token"));
        shortValue = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".getBytes(StandardCharsets.US_ASCII);
        if (!es256Verify(assertionInput, assertionSignature, clientKey) || !es256Verify(proofInput, proofSignature, dpopKey)) {
            throw new IllegalStateException("the floor's verifications do not verify");
        }
    }

    private static byte[] signingInput(String jws) {
        return jws.substring(0, jws.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] signature(String jws) {
        return new Base64URL(jws.substring(jws.lastIndexOf('.') + 1)).decode();
    }

    private static boolean es256Verify(byte[] input, byte[] signature, PublicKey key) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(key);
        verifier.update(input);
        return verifier.verify(signature);
    }

    private static byte[] ps256Sign(byte[] input, PrivateKey key) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("RSASSA-PSS");
        signer.setParameter(PS256);
        signer.initSign(key);
        signer.update(input);
        return signer.sign();
    }

    @Benchmark
    public boolean es256VerifyAssertion() throws GeneralSecurityException {
        return es256Verify(assertionInput, assertionSignature, clientKey);
    }

    @Benchmark
    public boolean es256VerifyDpopProof() throws GeneralSecurityException {
        return es256Verify(proofInput, proofSignature, dpopKey);
    }

    @Benchmark
    public byte[] ps256SignAccessToken() throws GeneralSecurityException {
        return ps256Sign(accessTokenInput, serverKey);
    }

    @Benchmark
    public byte[] ps256SignIdToken() throws GeneralSecurityException {
        return ps256Sign(idTokenInput, serverKey);
    }

    @Benchmark
    public byte[] sha256() throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(shortValue);
    }

    @Benchmark
    public void floor(Blackhole bh) throws GeneralSecurityException {
        bh.consume(es256Verify(assertionInput, assertionSignature, clientKey));
        bh.consume(es256Verify(proofInput, proofSignature, dpopKey));
        bh.consume(ps256Sign(accessTokenInput, serverKey));
        bh.consume(ps256Sign(idTokenInput, serverKey));
        for (int i = 0; i < SHA256_PER_REQUEST; i++) {
            bh.consume(MessageDigest.getInstance("SHA-256").digest(shortValue));
        }
    }

    @Benchmark
    public void floorSignaturesAtOnce(Blackhole bh) throws GeneralSecurityException {
        bh.consume(es256Verify(assertionInput, assertionSignature, clientKey));
        bh.consume(es256Verify(proofInput, proofSignature, dpopKey));
        CompletableFuture<byte[]> idToken = Beside.start(() -> {
            try {
                return ps256Sign(idTokenInput, serverKey);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        bh.consume(ps256Sign(accessTokenInput, serverKey));
        bh.consume(Beside.join(idToken));
        for (int i = 0; i < SHA256_PER_REQUEST; i++) {
            bh.consume(MessageDigest.getInstance("SHA-256").digest(shortValue));
        }
    }
}
