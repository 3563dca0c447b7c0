package dev.fapi2lambda.core.introspect;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.resource.RevocationCheck;
import dev.fapi2lambda.core.token.Grant;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds what a presented token is, for introspection and revocation: an access token of this
 * issuer (signature, lifetime, not revoked) or a refresh token (its grant, hash compared in
 * constant time, not revoked, not expired).
 */
final class TokenLookup {
    private final AccessTokenVerifier verifier;
    private final RevocationCheck revocation;
    private final Grants grants;

    TokenLookup(AccessTokenVerifier verifier, RevocationCheck revocation, Grants grants) {
        this.verifier = verifier;
        this.revocation = revocation;
        this.grants = grants;
    }

    /** A live token: whose it is and what RFC 7662 2.2 may say about it. */
    record Found(String clientId, Optional<Grant> grant, Optional<JWTClaimsSet> accessToken, Map<String, Object> claims) {
    }

    Optional<Found> find(String token, Instant now) {
        if (token.chars().filter(c -> c == '.').count() == 2) {
            return verifier.verify(token, now).filter(claims -> !revocation.isRevoked(claims, now)).map(this::accessToken);
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        return grants.find(token.substring(0, dot), now)
                .filter(g -> Hashes.constantTimeEquals(g.refreshHash(), Hashes.sha256Url(token)))
                .filter(g -> !g.revoked())
                .map(TokenLookup::refreshToken);
    }

    private Found accessToken(JWTClaimsSet claims) {
        Map<String, Object> out = new LinkedHashMap<>(claims.toJSONObject());
        out.put("token_type", out.containsKey("cnf") && ((Map<?, ?>) out.get("cnf")).containsKey("jkt") ? "DPoP" : "Bearer");
        String clientId;
        try {
            clientId = claims.getStringClaim("client_id");
        } catch (ParseException e) {
            clientId = "";
        }
        return new Found(clientId, Optional.empty(), Optional.of(claims), out);
    }

    private static Found refreshToken(Grant grant) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token_type", "refresh_token");
        out.put("client_id", grant.clientId());
        out.put("sub", grant.subject());
        out.put("scope", String.join(" ", grant.scopes()));
        out.put("exp", grant.expiresAt().getEpochSecond());
        Map<String, Object> cnf = new LinkedHashMap<>();
        grant.dpopJkt().ifPresent(j -> cnf.put("jkt", j));
        grant.x5t().ifPresent(x -> cnf.put("x5t#S256", x));
        out.put("cnf", cnf);
        return new Found(grant.clientId(), Optional.of(grant), Optional.empty(), out);
    }
}
