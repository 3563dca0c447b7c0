package dev.fapi2lambda.core.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.config.Params;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.JwsKeys;
import dev.fapi2lambda.core.crypto.JwtTimes;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.OneTime;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates the client of a PAR or token request. One piece for every endpoint that needs it.
 * private_key_jwt as RFC 7523 3 and FAPI 2.0 SP 5.3.2.1 narrow it: PS256/ES256 only, aud is the
 * issuer as a single string, iat/nbf skew rule, bounded lifetime, jti used once.
 */
public final class ClientAuthentication {
    private static final int MAX_JTI_LENGTH = 256;
    private final ServerConfig config;
    private final ClientRepository clients;
    private final ItemStore store;
    private final Clock clock;
    private final CertificateTrust trust;

    public ClientAuthentication(ServerConfig config, ClientRepository clients, ItemStore store, Clock clock) {
        this(config, clients, store, clock, CertificateTrust.none());
    }

    public ClientAuthentication(ServerConfig config, ClientRepository clients, ItemStore store, Clock clock,
                                CertificateTrust trust) {
        this.config = config;
        this.clients = clients;
        this.store = store;
        this.clock = clock;
        this.trust = trust;
    }

    /**
     * A client whose credentials verified, with the one-time part still to do: the assertion's jti
     * is recorded (see {@link #oneTime}) only once the rest of the request is acceptable, so a request
     * turned away for a DPoP nonce (RFC 9449 8) can be sent again exactly as it was.
     */
    public final class Verified {
        private final Client client;
        private final Optional<Item> jtiGuard;

        private Verified(Client client, Optional<Item> jtiGuard) {
            this.client = client;
            this.jtiGuard = jtiGuard;
        }

        public Client client() {
            return client;
        }

        /**
         * RFC 7523 3 item 7: the guard that accepts the assertion's jti once (a conditional write kept
         * until exp), for the caller to commit with its own writes; empty for mTLS client authentication.
         */
        private Optional<OneTime.Guard> guard() {
            return jtiGuard.map(item -> new OneTime.Guard(item,
                    () -> OAuthException.invalidClient("client_assertion jti has already been used")));
        }

        /** The request's guards (its DPoP proof's, then its assertion's), to commit with its writes. */
        public OneTime oneTime(Optional<OneTime.Guard> proofGuard) {
            return OneTime.of(store, proofGuard, guard());
        }
    }

    /** Verifies and commits at once: for endpoints with no later check that may ask for a retry. */
    public Client authenticate(Request request, Form form) {
        Verified verified = verify(request, form);
        verified.oneTime(Optional.empty()).commit(clock.instant());
        return verified.client();
    }

    /** Verifies the client's credentials without recording the assertion's jti yet. */
    public Verified verify(Request request, Form form) {
        Instant now = clock.instant();
        if (request.headers().first("Authorization").isPresent()) {
            // FAPI 2.0 SP 5.3.2.1: no client secrets, so no HTTP Basic either.
            throw OAuthException.invalidClient("client authentication with the Authorization header is not supported");
        }
        if (form.get(Params.CLIENT_ASSERTION).isEmpty()) {
            if (request.clientCertificate().isPresent() && form.get(Params.CLIENT_ID).isPresent()) {
                return new Verified(authenticateMtls(request.clientCertificate().get(), form.require(Params.CLIENT_ID), now),
                        Optional.empty());
            }
            throw OAuthException.invalidClient("client authentication is required: private_key_jwt, or mTLS with client_id");
        }
        if (!form.get(Params.CLIENT_ASSERTION_TYPE).filter(Params.JWT_BEARER::equals).isPresent()) {
            throw OAuthException.invalidClient("client_assertion_type must be " + Params.JWT_BEARER);
        }
        SignedJWT assertion = parse(form.require(Params.CLIENT_ASSERTION));
        JWTClaimsSet claims = claims(assertion);
        String clientId = checkIssuerAndSubject(claims, form);
        Client client = clients.find(clientId, now)
                .orElseThrow(() -> OAuthException.invalidClient("client_assertion iss is not a registered client"));
        if (client.authMethod() != AuthMethod.PRIVATE_KEY_JWT) {
            throw OAuthException.invalidClient("client is registered for " + client.authMethod().value());
        }
        checkSignature(assertion, client);
        checkAudience(assertion);
        Instant exp = checkTimes(claims, now);
        return new Verified(client, Optional.of(jtiGuard(clientId, claims.getJWTID(), exp)));
    }

    /**
     * RFC 8705 2: the certificate of the TLS connection (never a header) authenticates the client
     * named by client_id, by its registered subject DN or SAN and a trusted CA (2.1), or by one
     * of its registered public keys (2.2).
     */
    private Client authenticateMtls(X509Certificate certificate, String clientId, Instant now) {
        Client client = clients.find(clientId, now)
                .orElseThrow(() -> OAuthException.invalidClient("client_id is not a registered client"));
        try {
            certificate.checkValidity(Date.from(now));
        } catch (java.security.cert.CertificateException e) {
            throw OAuthException.invalidClient("the client certificate is expired or not yet valid");
        }
        switch (client.authMethod()) {
            case TLS_CLIENT_AUTH -> {
                if (!trust.chains(certificate, now)) {
                    throw OAuthException.invalidClient("the client certificate is not issued by a trusted CA");
                }
                if (!client.certificateRule().map(rule -> rule.matches(certificate)).orElse(false)) {
                    throw OAuthException.invalidClient("the client certificate does not carry the registered "
                            + client.certificateRule().map(r -> r.type().metadata()).orElse("subject"));
                }
            }
            case SELF_SIGNED_TLS_CLIENT_AUTH -> {
                byte[] presented = certificate.getPublicKey().getEncoded();
                boolean registered = client.jwks().getKeys().stream().anyMatch(key -> {
                    try {
                        return java.util.Arrays.equals(presented, publicKey(key).getEncoded());
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                if (!registered) {
                    throw OAuthException.invalidClient("the client certificate's key is not one of the client's registered keys");
                }
            }
            default -> throw OAuthException.invalidClient("client is registered for " + client.authMethod().value());
        }
        return client;
    }

    private static java.security.PublicKey publicKey(JWK key) {
        try {
            if (key instanceof com.nimbusds.jose.jwk.RSAKey rsa) {
                return rsa.toPublicKey();
            }
            if (key instanceof com.nimbusds.jose.jwk.ECKey ec) {
                return ec.toPublicKey();
            }
            throw new IllegalArgumentException("unsupported key type");
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static SignedJWT parse(String value) {
        try {
            return SignedJWT.parse(value);
        } catch (ParseException e) {
            throw OAuthException.invalidClient("client_assertion is not a signed JWT");
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OAuthException.invalidClient("client_assertion claims are malformed");
        }
    }

    /** RFC 7523 3: iss and sub are both the client_id; a client_id parameter, if sent, agrees. */
    private static String checkIssuerAndSubject(JWTClaimsSet claims, Form form) {
        String iss = claims.getIssuer();
        if (iss == null || iss.isEmpty() || !iss.equals(claims.getSubject())) {
            throw OAuthException.invalidClient("client_assertion iss and sub must both be the client_id");
        }
        if (form.get(Params.CLIENT_ID).filter(id -> !id.equals(iss)).isPresent()) {
            throw OAuthException.invalidClient("client_id does not match the client_assertion iss");
        }
        return iss;
    }

    /** FAPI 2.0 SP 5.4.1 / C-CRY-2: PS256 or ES256, verified with a registered key, never a key the JWT names itself. */
    private static void checkSignature(SignedJWT assertion, Client client) {
        JWSAlgorithm alg = assertion.getHeader().getAlgorithm();
        if (!JwsKeys.isAllowed(alg)) {
            throw OAuthException.invalidClient("client_assertion alg must be PS256 or ES256");
        }
        String kid = assertion.getHeader().getKeyID();
        List<JWK> candidates = client.jwks().getKeys().stream()
                .filter(k -> kid == null || kid.equals(k.getKeyID()))
                .filter(k -> JwsKeys.fits(alg, k))
                .toList();
        if (candidates.stream().noneMatch(k -> JwsKeys.verify(assertion, k))) {
            throw OAuthException.invalidClient("client_assertion signature does not verify with a registered key");
        }
    }

    /** FAPI 2.0 SP 5.3.2.1: aud is the issuer identifier, as a string (an array, the PAR or token URL are refused). */
    private void checkAudience(SignedJWT assertion) {
        Map<String, Object> payload = assertion.getPayload().toJSONObject();
        Object aud = payload == null ? null : payload.get("aud");
        if (!(aud instanceof String value) || !value.equals(config.issuer())) {
            throw OAuthException.invalidClient("client_assertion aud must be the issuer identifier as a single string");
        }
    }

    private Instant checkTimes(JWTClaimsSet claims, Instant now) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw OAuthException.invalidClient("client_assertion exp is required");
        }
        if (!exp.toInstant().isAfter(now)) {
            throw OAuthException.invalidClient("client_assertion has expired");
        }
        JwtTimes.notInFuture("client_assertion iat", claims.getIssueTime(), now, config.maxFutureSkew())
                .or(() -> JwtTimes.notInFuture("client_assertion nbf", claims.getNotBeforeTime(), now, config.maxFutureSkew()))
                .ifPresent(problem -> {
                    throw OAuthException.invalidClient(problem);
                });
        Instant from = claims.getIssueTime() == null ? now : claims.getIssueTime().toInstant();
        if (exp.toInstant().isAfter(from.plus(config.maxAssertionLifetime()))) {
            throw OAuthException.invalidClient("client_assertion lifetime exceeds "
                    + config.maxAssertionLifetime().toSeconds() + " s");
        }
        if (exp.toInstant().isAfter(now.plus(config.maxAssertionLifetime()))) {
            throw OAuthException.invalidClient("client_assertion exp is too far in the future");
        }
        return exp.toInstant();
    }

    /** RFC 7523 3 item 7: the jti is required; its guard item lives until the assertion's exp. */
    private static Item jtiGuard(String clientId, String jti, Instant exp) {
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw OAuthException.invalidClient("client_assertion jti is required (at most " + MAX_JTI_LENGTH + " characters)");
        }
        return Item.of("jti#client#" + clientId + "#" + Hashes.sha256Url(jti)).expiresAt(exp).build();
    }
}
