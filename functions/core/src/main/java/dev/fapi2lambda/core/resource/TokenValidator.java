package dev.fapi2lambda.core.resource;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.concurrent.Beside;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import dev.fapi2lambda.core.userinfo.ResourceErrors;
import dev.fapi2lambda.core.userinfo.SenderCheck;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What a resource server does with every request (FAPI 2.0 SP 5.3.3, RFC 9449 7, RFC 8705 3):
 * the access token only from the Authorization header, its signature, type, issuer, audience and
 * lifetime, its sender constraint (a DPoP proof of the bound key with ath, htm, htu, iat, a fresh
 * jti and the server nonce; or the bound client certificate), and optionally its revocation.
 * Used by userinfo, the Lambda authorizer, and any Java resource server:
 * <pre>{@code
 * ValidatedToken token = validator.validate(request, "https://api.example.com/accounts");
 * }</pre>
 * Every failure is an {@code OAuthException} carrying 401 (400 for a malformed request) and the
 * WWW-Authenticate challenge (and DPoP-Nonce) to send back.
 */
public final class TokenValidator {
    private final AccessTokenVerifier verifier;
    private final DpopProofValidator dpop;
    private final Optional<RevocationCheck> revocation;
    private final Clock clock;

    public TokenValidator(AccessTokenVerifier verifier, DpopProofValidator dpop, Optional<RevocationCheck> revocation,
                          Clock clock) {
        this.verifier = verifier;
        this.dpop = dpop;
        this.revocation = revocation;
        this.clock = clock;
    }

    /**
     * Validates the request's token for the resource at {@code resourceUrl} (the configured public
     * URL of what was called, without query: the DPoP proof's htu must name it).
     */
    public ValidatedToken validate(Request request, String resourceUrl) {
        return validate(request, resourceUrl, claims -> List.of()).token();
    }

    /** A valid token and the items read along with its revocation check. */
    public record Validated(ValidatedToken token, Map<String, Item> items) {
    }

    /**
     * As {@link #validate(Request, String)}, and reads the items {@code alsoRead} names for the
     * token (for example its subject's) in the same request as the revocation check (which a
     * validator must then have). With a DPoP proof, {@code alsoRead} and the read run on a
     * {@link Beside} thread (no thread-locals of the caller's), and anything they throw is thrown
     * here, after the sender check's errors.
     */
    public Validated validate(Request request, String resourceUrl, Function<JWTClaimsSet, List<String>> alsoRead) {
        Instant now = clock.instant();
        if (request.query().containsKey("access_token")) {
            // RFC 6750 2.3 / FAPI 2.0: never in the query string.
            throw ResourceErrors.invalidRequest("access tokens are accepted only in the Authorization header");
        }
        ResourceErrors.Presented presented = ResourceErrors.token(request);
        JWTClaimsSet claims = verifier.verify(presented.token(), now)
                .orElseThrow(() -> ResourceErrors.invalidToken("the access token is invalid or expired"));
        // The revocation read (with the items asked for) starts once a DPoP proof of the bound key
        // has passed every check but the one-time write of its jti, and runs while that write is
        // made: a resource request waits for one round trip, not two. The sender check still
        // decides first: its error is the answer whatever the read finds, and goes out only once
        // the read has ended.
        AtomicReference<CompletableFuture<RevocationCheck.Lookup>> lookingUp = new AtomicReference<>();
        try {
            SenderCheck.check(claims, presented, request, () -> {
                DpopProofValidator.Checked checked = dpop.check(request,
                        ResourceErrors.expectation(resourceUrl, presented.token()));
                boolean boundKey = SenderCheck.dpopKey(claims)
                        .filter(jkt -> Hashes.constantTimeEquals(jkt, checked.proof().jkt())).isPresent();
                revocation.filter(r -> boundKey).ifPresent(r -> lookingUp.set(
                        Beside.start(() -> r.lookup(claims, now, alsoRead.apply(claims)))));
                return dpop.commit(checked);
            });
        } catch (RuntimeException | Error refused) {
            Optional.ofNullable(lookingUp.get()).ifPresent(Beside::settle);
            throw refused;
        }
        Map<String, Item> items;
        if (revocation.isPresent()) {
            RevocationCheck.Lookup lookup = Optional.ofNullable(lookingUp.get()).map(Beside::join)
                    .orElseGet(() -> revocation.get().lookup(claims, now, alsoRead.apply(claims)));
            if (lookup.revoked()) {
                throw ResourceErrors.invalidToken("the access token has been revoked");
            }
            items = lookup.items();
        } else if (alsoRead.apply(claims).isEmpty()) {
            items = Map.of();
        } else {
            throw new IllegalStateException("items are read along with the revocation check, and there is none");
        }
        return new Validated(new ValidatedToken(claims), items);
    }
}
