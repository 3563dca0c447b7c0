package dev.fapi2lambda.core.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * C-RS-1, C-RS-2, C-RS-3 (and C-TOK-7 at a resource): the DPoP negative list of the OIDF FAPI 2.0
 * test plan, as named mutations of one valid request to a protected resource: {@code GET} with
 * {@code Authorization: DPoP <token>} and a proof carrying ath, htm, htu, iat, jti and the server
 * nonce. The list is transport-free: each runner (the Lambda authorizer fed API Gateway events,
 * the local server's /accounts over HTTPS) turns a case's requests into its own transport and
 * checks the outcome the case names, so both answer the same list.
 */
public final class DpopResourceCases {
    public static final String AUTHORIZATION = "Authorization";
    public static final String DPOP = "DPoP";

    private DpopResourceCases() {
    }

    /**
     * What every case starts from.
     *
     * @param accessToken the DPoP-bound access token (cnf.jkt = thumbprint of {@code dpopKey})
     * @param dpopKey     the bound key; RSA (PS256), so that the RS256 case differs from a valid proof only in alg
     * @param url         the resource URL without query: the request's URL and the valid proof's htu
     * @param nonce       the resource's current DPoP nonce
     * @param now         the resource's time: the valid proof's iat
     */
    public record Context(String accessToken, RSAKey dpopKey, String url, String nonce, Instant now) {
    }

    /** One request to the resource: method, URL (may carry a query), and every header with all its values. */
    public record ResourceRequest(String method, String url, Map<String, List<String>> headers) {
        public ResourceRequest {
            headers = Map.copyOf(headers);
        }

        /** The same request with the header set to these values (none: removed). */
        public ResourceRequest with(String name, String... values) {
            Map<String, List<String>> changed = new LinkedHashMap<>(headers);
            changed.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            if (values.length > 0) {
                changed.put(name, List.of(values));
            }
            return new ResourceRequest(method, url, changed);
        }

        public ResourceRequest without(String name) {
            return with(name);
        }

        public ResourceRequest withUrl(String otherUrl) {
            return new ResourceRequest(method, otherUrl, headers);
        }
    }

    /** What the resource must answer to a case's last request. */
    public enum Outcome {
        /** Allowed: 200 from the resource with the token's subject. */
        ACCEPTED,
        /** C-RS-2: 401 with {@code WWW-Authenticate: DPoP error="invalid_dpop_proof"} or {@code "invalid_token"}. */
        REJECTED,
        /** C-RS-3: 401 with {@code WWW-Authenticate: DPoP error="use_dpop_nonce"} and a {@code DPoP-Nonce}. */
        NONCE,
        /**
         * C-RS-1, a token in the query string: 401 with a DPoP challenge; its error, if any, is
         * invalid_request or invalid_token (with no Authorization header RFC 6750 3.1 allows none).
         */
        REFUSED
    }

    /**
     * One case.
     *
     * @param name     what is bent
     * @param outcome  what the last request must get
     * @param requests the requests to send in order; every one before the last must be ACCEPTED
     */
    public record Case(String name, Outcome outcome, Function<Context, List<ResourceRequest>> requests) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ---- the valid request and its parts ----

    /** The valid request: DPoP scheme, one valid proof. */
    public static ResourceRequest valid(Context c) {
        return request(c, "DPoP " + c.accessToken(), proof(c, claims -> claims));
    }

    /** A GET of the context's URL with this Authorization header (null: none) and these DPoP headers. */
    public static ResourceRequest request(Context c, String authorization, String... proofs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put(AUTHORIZATION, List.of(authorization));
        }
        if (proofs.length > 0) {
            headers.put(DPOP, List.of(proofs));
        }
        headers.put("Accept", List.of("application/json"));
        return new ResourceRequest("GET", c.url(), headers);
    }

    /** The claims of the valid proof: jti, htm GET, htu the URL, iat now, ath of the token, the nonce. */
    public static JWTClaimsSet.Builder validClaims(Context c) {
        return Jwts.dpopClaims("GET", c.url(), c.now()).claim("ath", ath(c.accessToken())).claim("nonce", c.nonce());
    }

    /** A proof of the context's key with the valid header and the valid claims, changed (a null claim is removed). */
    public static String proof(Context c, UnaryOperator<JWTClaimsSet.Builder> change) {
        return Jwts.sign(c.dpopKey(), header(c).build(), change.apply(validClaims(c)).build());
    }

    /** The valid header: PS256, typ dpop+jwt, the public jwk. */
    public static JWSHeader.Builder header(Context c) {
        return new JWSHeader.Builder(JWSAlgorithm.PS256).type(new JOSEObjectType("dpop+jwt")).jwk(c.dpopKey().toPublicJWK());
    }

    /** RFC 9449 4.2: base64url(SHA-256(ASCII(token))), computed here independently of the code under test. */
    public static String ath(String token) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)))
                    .toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWS over raw header JSON (which may lack alg), signed with the RSA key under {@code alg}. */
    private static String handBuilt(RSAKey key, JWSAlgorithm alg, Map<String, Object> header, Map<String, Object> payload) {
        String input = b64(header) + "." + b64(payload);
        try {
            return input + "." + new RSASSASigner(key).sign(new JWSHeader(alg), input.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(Map<String, Object> json) {
        return Base64URL.encode(JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Map<String, Object> headerJson(Context c, String alg, boolean privateJwk) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (alg != null) {
            header.put("alg", alg);
        }
        header.put("typ", "dpop+jwt");
        header.put("jwk", privateJwk ? c.dpopKey().toJSONObject() : c.dpopKey().toPublicJWK().toJSONObject());
        return header;
    }

    /** The valid proof with one character of its signature changed (in the middle, never in the padding bits). */
    private static String badSignature(String proof) {
        int at = proof.lastIndexOf('.') + 20;
        char replacement = proof.charAt(at) == 'A' ? 'B' : 'A';
        return proof.substring(0, at) + replacement + proof.substring(at + 1);
    }

    private static Date in(Context c, Duration offset) {
        return Date.from(c.now().plus(offset));
    }

    // ---- the list ----

    private static Case one(String name, Outcome outcome, Function<Context, ResourceRequest> request) {
        return new Case(name, outcome, c -> List.of(request.apply(c)));
    }

    private static Case proofCase(String name, Outcome outcome, UnaryOperator<JWTClaimsSet.Builder> change) {
        return one(name, outcome, c -> request(c, "DPoP " + c.accessToken(), proof(c, change)));
    }

    private static Case headerCase(String name, Function<Context, JWSHeader> header) {
        return one(name, Outcome.REJECTED, c -> request(c, "DPoP " + c.accessToken(),
                Jwts.sign(c.dpopKey(), header.apply(c), validClaims(c).build())));
    }

    /**
     * Every case, in the order a runner should send them: a valid request first, the negatives,
     * and a valid request last (everything before it must not have broken the token).
     */
    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(one("a valid request is accepted", Outcome.ACCEPTED, DpopResourceCases::valid));
        // C-RS-1: the scheme is case-insensitive; the token only in the Authorization header.
        cases.add(one("C-RS-1 scheme DPOP (upper case) is accepted", Outcome.ACCEPTED,
                c -> valid(c).with(AUTHORIZATION, "DPOP " + c.accessToken())));
        cases.add(one("C-RS-1 scheme dpop (lower case) is accepted", Outcome.ACCEPTED,
                c -> valid(c).with(AUTHORIZATION, "dpop " + c.accessToken())));
        cases.add(one("C-RS-1 the token in the query string only is refused", Outcome.REFUSED,
                c -> valid(c).without(AUTHORIZATION).withUrl(c.url() + "?access_token=" + c.accessToken())));
        cases.add(one("C-RS-1 the token in the query string beside the header is refused", Outcome.REFUSED,
                c -> valid(c).withUrl(c.url() + "?access_token=" + c.accessToken())));
        // C-RS-2: the sender constraint.
        cases.add(one("C-RS-2 DPoP scheme without a proof", Outcome.REJECTED, c -> valid(c).without(DPOP)));
        cases.add(one("C-RS-2 Bearer downgrade of the DPoP-bound token, with a valid proof", Outcome.REJECTED,
                c -> valid(c).with(AUTHORIZATION, "Bearer " + c.accessToken())));
        cases.add(one("C-RS-2 Bearer downgrade of the DPoP-bound token, without a proof", Outcome.REJECTED,
                c -> valid(c).with(AUTHORIZATION, "Bearer " + c.accessToken()).without(DPOP)));
        cases.add(one("C-RS-2 two DPoP headers", Outcome.REJECTED,
                c -> valid(c).with(DPOP, proof(c, x -> x), proof(c, x -> x))));
        cases.add(one("C-RS-2 a malformed proof", Outcome.REJECTED, c -> valid(c).with(DPOP, "not-a-jwt")));
        cases.add(one("C-RS-2 C-RS-4 a valid proof of another key than cnf.jkt", Outcome.REJECTED, c -> {
            ECKey other = TestKeys.ec();
            return valid(c).with(DPOP, Jwts.sign(other, Jwts.dpopHeader(other).build(), validClaims(c).build()));
        }));
        // C-TOK-7 at the resource: the header.
        headerCases(cases);
        // C-TOK-7 at the resource: the claims.
        cases.add(proofCase("C-RS-2 missing jti", Outcome.REJECTED, x -> x.jwtID(null)));
        cases.add(proofCase("C-RS-2 missing htm", Outcome.REJECTED, x -> x.claim("htm", null)));
        cases.add(proofCase("C-RS-2 missing htu", Outcome.REJECTED, x -> x.claim("htu", null)));
        cases.add(proofCase("C-RS-2 missing iat", Outcome.REJECTED, x -> x.issueTime(null)));
        cases.add(proofCase("C-RS-2 missing ath", Outcome.REJECTED, x -> x.claim("ath", null)));
        cases.add(proofCase("C-RS-2 wrong htm (POST)", Outcome.REJECTED, x -> x.claim("htm", "POST")));
        cases.add(proofCase("C-RS-2 htu of another resource", Outcome.REJECTED,
                x -> x.claim("htu", "https://other.example.com/accounts")));
        cases.add(one("C-TOK-7 htu with query and fragment is accepted", Outcome.ACCEPTED,
                c -> request(c, "DPoP " + c.accessToken(), proof(c, x -> x.claim("htu", c.url() + "?page=2#top")))));
        cases.add(one("C-RS-2 iat an hour in the past", Outcome.REJECTED, c -> request(c, "DPoP " + c.accessToken(),
                proof(c, x -> x.issueTime(in(c, Duration.ofHours(-1)))))));
        cases.add(one("C-RS-2 iat an hour in the future", Outcome.REJECTED, c -> request(c, "DPoP " + c.accessToken(),
                proof(c, x -> x.issueTime(in(c, Duration.ofHours(1)))))));
        cases.add(proofCase("C-RS-2 wrong ath (hash of another token)", Outcome.REJECTED,
                x -> x.claim("ath", ath("another-access-token"))));
        cases.add(one("C-TOK-7 extra claims (and nbf, exp) are accepted", Outcome.ACCEPTED,
                c -> request(c, "DPoP " + c.accessToken(), proof(c, x -> x.claim("x-extra", "ignored")
                        .claim("nested", Map.of("a", 1)).notBeforeTime(in(c, Duration.ofSeconds(-5)))
                        .expirationTime(in(c, Duration.ofSeconds(60)))))));
        cases.add(new Case("C-RS-2 a reused jti (the same proof twice)", Outcome.REJECTED, c -> {
            ResourceRequest once = valid(c);
            return List.of(once, once);
        }));
        // C-RS-3: the server nonce.
        cases.add(proofCase("C-RS-3 no nonce: use_dpop_nonce with DPoP-Nonce", Outcome.NONCE, x -> x.claim("nonce", null)));
        cases.add(proofCase("C-RS-3 a wrong nonce: use_dpop_nonce with DPoP-Nonce", Outcome.NONCE,
                x -> x.claim("nonce", "not-the-server-nonce")));
        cases.add(one("a valid request after all of these is still accepted", Outcome.ACCEPTED, DpopResourceCases::valid));
        return List.copyOf(cases);
    }

    private static void headerCases(List<Case> cases) {
        cases.add(headerCase("C-RS-2 missing typ",
                c -> new JWSHeader.Builder(JWSAlgorithm.PS256).jwk(c.dpopKey().toPublicJWK()).build()));
        cases.add(headerCase("C-RS-2 wrong typ (JWT)", c -> header(c).type(JOSEObjectType.JWT).build()));
        cases.add(headerCase("C-RS-2 missing jwk",
                c -> new JWSHeader.Builder(JWSAlgorithm.PS256).type(new JOSEObjectType("dpop+jwt")).build()));
        cases.add(headerCase("C-RS-2 RS256 (same key, only the alg differs)",
                c -> new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("dpop+jwt"))
                        .jwk(c.dpopKey().toPublicJWK()).build()));
        cases.add(one("C-RS-2 missing alg (hand-built header)", Outcome.REJECTED, c -> request(c, "DPoP " + c.accessToken(),
                handBuilt(c.dpopKey(), JWSAlgorithm.PS256, headerJson(c, null, false), validClaims(c).build().toJSONObject()))));
        cases.add(one("C-RS-2 alg none", Outcome.REJECTED, c -> request(c, "DPoP " + c.accessToken(),
                Jwts.unsecured(headerJson(c, "none", false), validClaims(c).build().toJSONObject()))));
        cases.add(one("C-RS-2 a bad signature", Outcome.REJECTED,
                c -> request(c, "DPoP " + c.accessToken(), badSignature(proof(c, x -> x)))));
        cases.add(one("C-RS-2 a private key in jwk (hand-built: Nimbus refuses to parse it)", Outcome.REJECTED,
                c -> request(c, "DPoP " + c.accessToken(), handBuilt(c.dpopKey(), JWSAlgorithm.PS256,
                        headerJson(c, "PS256", true), validClaims(c).build().toJSONObject()))));
    }
}
