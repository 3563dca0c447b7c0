package dev.fapi2lambda.core.userinfo;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.dpop.DpopProof;
import dev.fapi2lambda.core.http.Request;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The resource side of sender-constrained tokens (FAPI 2.0 SP 5.3.3): every binding in cnf must
 * be proven. cnf.jkt needs the DPoP scheme and a proof of that key (RFC 9449 7); cnf.x5t#S256
 * needs the same client certificate on the connection (RFC 8705 3). A token with neither was
 * never issued here and is refused.
 */
public final class SenderCheck {
    private SenderCheck() {
    }

    public static void check(JWTClaimsSet claims, ResourceErrors.Presented presented, Request request, Supplier<DpopProof> proof) {
        Optional<String> jkt = cnf(claims, "jkt");
        Optional<String> x5t = cnf(claims, "x5t#S256");
        if (jkt.isEmpty() && x5t.isEmpty()) {
            throw ResourceErrors.invalidToken("the access token is not sender-constrained");
        }
        if (jkt.isPresent()) {
            if (!presented.isDpop()) {
                // RFC 9449 7.2: a DPoP-bound token presented as Bearer is a downgrade.
                throw ResourceErrors.invalidToken("a DPoP-bound access token must be presented with the DPoP scheme");
            }
            if (!Hashes.constantTimeEquals(jkt.get(), proof.get().jkt())) {
                throw ResourceErrors.invalidToken("the DPoP proof key is not the key the token is bound to");
            }
        } else if (presented.isDpop()) {
            throw ResourceErrors.invalidToken("the access token is not DPoP-bound");
        }
        if (x5t.isPresent()) {
            String presentedX5t = request.clientCertificate().map(CertificateTrust::thumbprint)
                    .orElseThrow(() -> ResourceErrors.invalidToken("the access token is bound to a client certificate"));
            if (!Hashes.constantTimeEquals(x5t.get(), presentedX5t)) {
                throw ResourceErrors.invalidToken("the client certificate is not the one the token is bound to");
            }
        }
    }

    /** The thumbprint of the DPoP key the token is bound to (cnf.jkt), if it is. */
    public static Optional<String> dpopKey(JWTClaimsSet claims) {
        return cnf(claims, "jkt");
    }

    private static Optional<String> cnf(JWTClaimsSet claims, String member) {
        Object cnf = claims.getClaim("cnf");
        return cnf instanceof Map<?, ?> map && map.get(member) instanceof String value ? Optional.of(value) : Optional.empty();
    }
}
