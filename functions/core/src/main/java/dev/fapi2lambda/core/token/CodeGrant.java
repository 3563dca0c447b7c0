package dev.fapi2lambda.core.token;

import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Form;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

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

    Map<String, Object> redeem(Form form, Client client, Binding binding) {
        Instant now = clock.instant();
        String value = form.require("code");
        AuthorizationCodes.Peeked peeked = codes.peek(value, now)
                .orElseThrow(() -> invalidGrant("code is unknown or expired"));             // C-TOK-2
        AuthorizationCode code = peeked.code();
        if (peeked.redeemed()) {
            throw replayed(value, code, now);                                                // C-TOK-1
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
        String accessToken = issuer.accessToken(grant, now);
        Optional<String> idToken = code.scopes().contains("openid")
                ? Optional.of(issuer.idToken(client, grant, code.nonce(), now)) : Optional.empty();
        AuthorizationCodes.Redemption redemption = codes.redeem(value, now, grant.expiresAt());
        if (redemption instanceof AuthorizationCodes.Redemption.Replayed) {
            throw replayed(value, code, now);                                                // lost the race
        }
        if (!(redemption instanceof AuthorizationCodes.Redemption.Won)) {
            throw invalidGrant("code is unknown or expired");
        }
        if (!grants.create(grant, now)) {
            throw invalidGrant("code has already been used");
        }
        if (codes.wasReplayed(value, now)) {
            grants.revoke(grant.id(), now);   // a replay came between our redemption and the grant's creation
        }
        return TokenEndpoint.response(accessToken, config.accessTokenLifetime().toSeconds(), grant,
                Optional.of(refreshToken), idToken);
    }

    /**
     * RFC 6749 4.1.2 / C-TOK-1: a second use revokes every token issued from the code. The replay is
     * recorded on the code first, so a winner that has not written its grant yet revokes it itself.
     */
    private OAuthException replayed(String value, AuthorizationCode code, Instant now) {
        codes.markReplayed(value, now);
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
