package dev.fapi2lambda.core.token;

import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.dpop.DpopProof;
import dev.fapi2lambda.core.error.OAuthException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What the tokens of a request are bound to (FAPI 2.0 SP 5.3.2.1 item 4: only sender-constrained
 * tokens): the DPoP key thumbprint (RFC 9449 6) and/or the client certificate thumbprint
 * (RFC 8705 3).
 *
 * @param jkt the DPoP proof's JWK thumbprint, when the request carried a valid proof
 * @param x5t the x5t#S256 of the client certificate, for certificate-bound clients
 */
public record Binding(Optional<String> jkt, Optional<String> x5t) {

    /**
     * The sender constraint of a token request: a certificate-bound client must present its
     * certificate; every other client must present a DPoP proof. A proof sent by a
     * certificate-bound client is honoured too: its tokens are then bound to both.
     */
    public static Binding of(Client client, Optional<DpopProof> proof, Optional<X509Certificate> certificate) {
        if (client.certificateBoundTokens()) {
            X509Certificate cert = certificate.orElseThrow(() -> OAuthException.invalidRequest(
                    "a client certificate is required for certificate-bound tokens: use the mtls_endpoint_aliases"));
            return new Binding(proof.map(DpopProof::jkt), Optional.of(CertificateTrust.thumbprint(cert)));
        }
        DpopProof dpop = proof.orElseThrow(() -> OAuthException.invalidDpopProof("a DPoP proof is required"));
        return new Binding(Optional.of(dpop.jkt()), Optional.empty());
    }

    /** RFC 9449 10: a code bound to a DPoP key at PAR is redeemed only with a proof of that key. */
    void requireKey(Optional<String> boundJkt) {
        if (boundJkt.isPresent() && !jkt.map(k -> Hashes.constantTimeEquals(k, boundJkt.get())).orElse(false)) {
            throw OAuthException.invalidDpopProof("DPoP proof key does not match the key the grant is bound to");
        }
    }

    /** RFC 8705 3 / C-TOK-10: a refresh token bound to a certificate is used only with that certificate. */
    void requireCertificate(Optional<String> boundX5t) {
        if (boundX5t.isPresent() && !x5t.map(t -> Hashes.constantTimeEquals(t, boundX5t.get())).orElse(false)) {
            throw CodeGrant.invalidGrant("the refresh token is bound to another client certificate");
        }
    }
}
