package dev.fapi2lambda.core.token;

import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.concurrent.Beside;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.store.OneTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** RFC 6749 4.1.3 with RFC 7636 and RFC 9449 10: redeeming an authorization code. */
public final class CodeGrant {
    private final ServerConfig config;
    private final AuthorizationCodes codes;
    private final Grants grants;
    private final TokenIssuer issuer;
    private final Clock clock;

    public CodeGrant(ServerConfig config, AuthorizationCodes codes, Grants grants, TokenIssuer issuer, Clock clock) {
        this.config = config;
        this.codes = codes;
        this.grants = grants;
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * Redeems the code. The request's one-time guards are committed with the code's redemption and
     * the new grant in one write; a refused request leaves them to the caller.
     */
    Map<String, Object> redeem(Form form, Client client, Binding binding, OneTime oneTime) {
        Instant now = clock.instant();
        String value = form.require("code");
        AuthorizationCodes.Peeked peeked = codes.peek(value, now)
                .orElseThrow(() -> invalidGrant("code is unknown or expired"));             // C-TOK-2
        AuthorizationCode code = peeked.code();
        if (peeked.redeemed()) {
            throw replayed(oneTime, code, now);                                              // C-TOK-1
        }
        if (!code.clientId().equals(client.clientId())) {
            throw invalidGrant("code was issued to another client");                          // C-TOK-3
        }
        if (form.get("redirect_uri").filter(uri -> !uri.equals(code.redirectUri())).isPresent()) {
            throw invalidGrant("redirect_uri does not match the authorization request");
        }
        checkPkce(form.get("code_verifier"), code.codeChallenge());                           // RFC 7636 4.6
        binding.requireKey(code.dpopJkt());                                                   // RFC 9449 10
        String refreshToken = issuer.refreshToken(code.grantId());
        Grant grant = new Grant(code.grantId(), client.clientId(), code.subject(), code.scopes(), code.authTime(),
                binding.jkt(), binding.x5t(), Hashes.sha256Url(refreshToken), false,
                now.plus(config.refreshTokenLifetime()));
        // Sign before anything is written: if the key service fails (503), the code is still unspent.
        // The ID token is signed beside the access token: with KMS, two Sign calls in the time of one.
        CompletableFuture<Optional<String>> idToken = code.scopes().contains("openid")
                ? Beside.start(() -> Optional.of(issuer.idToken(client, grant, code.nonce(), now)))
                : CompletableFuture.completedFuture(Optional.empty());
        String accessToken;
        try {
            accessToken = issuer.accessToken(grant, now);
        } catch (RuntimeException | Error failed) {
            Beside.settle(idToken);   // the 503 goes out only once the other Sign has ended too
            throw failed;
        }
        Optional<String> signedIdToken = Beside.join(idToken);
        // One write: the jtis, the code spent (if no one spent it first) and the grant, all or nothing.
        // The code's 60 s are checked again at the moment of the write, after the signing.
        OptionalInt failed = oneTime.commitWith(List.of(codes.redeem(value, now, grant.expiresAt()), grants.create(grant)),
                clock.instant());
        if (failed.isPresent()) {
            // Another redemption won the race (or the grant id exists): either way not this one.
            throw replayed(oneTime, code, now);
        }
        return TokenEndpoint.response(accessToken, config.accessTokenLifetime().toSeconds(), grant,
                Optional.of(refreshToken), signedIdToken);
    }

    /**
     * RFC 6749 4.1.2 / C-TOK-1: a second use revokes every token issued from the code. The code is
     * spent only together with its grant's creation, so the grant exists to revoke. A reused client
     * assertion or DPoP proof is refused as such first, and revokes nothing.
     */
    private OAuthException replayed(OneTime oneTime, AuthorizationCode code, Instant now) {
        oneTime.commit(now);
        grants.revoke(code.grantId(), now);
        return invalidGrant("code has already been used");
    }

    /** FAPI 2.0 SP 5.3.2.2 / RFC 7636 4.6: S256 only, compared in constant time. */
    private static void checkPkce(Optional<String> verifier, String challenge) {
        if (verifier.isEmpty()) {
            throw invalidGrant("code_verifier is required");
        }
        String v = verifier.get();
        if (v.length() < 43 || v.length() > 128 || !v.matches("[A-Za-z0-9._~-]+")) {
            throw invalidGrant("code_verifier is malformed");
        }
        if (!Hashes.constantTimeEquals(Hashes.sha256Url(v), challenge)) {
            throw invalidGrant("code_verifier does not match the code_challenge");
        }
    }

    static OAuthException invalidGrant(String description) {
        return OAuthException.status(400, "invalid_grant", description);
    }
}
