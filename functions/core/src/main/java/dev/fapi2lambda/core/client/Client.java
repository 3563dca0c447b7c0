package dev.fapi2lambda.core.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A registered client. FAPI 2.0 SP 5.3.2.1: every client is confidential and authenticates with
 * private_key_jwt or mTLS; there is no client secret.
 *
 * @param clientId               the client identifier
 * @param authMethod             the one way this client authenticates
 * @param jwks                   its public keys (private_key_jwt; self_signed_tls_client_auth)
 * @param redirectUris           the exact redirect URIs it may use
 * @param scopes                 the scopes it may request
 * @param dpopRequired           whether every authorization must bind a DPoP key at PAR
 * @param idTokenAlg             id_token_signed_response_alg: PS256 (default) or ES256
 * @param certificateRule        tls_client_auth: the subject DN or SAN its certificate must carry (RFC 8705 2.1.2)
 * @param certificateBoundTokens tls_client_certificate_bound_access_tokens (RFC 8705 3.4): tokens carry cnf.x5t#S256
 *                               instead of requiring DPoP
 * @param resourceServer         a resource server: may introspect any token (RFC 7662 2.1)
 */
public record Client(String clientId, AuthMethod authMethod, JWKSet jwks, List<String> redirectUris,
                     Set<String> scopes, boolean dpopRequired, JWSAlgorithm idTokenAlg,
                     Optional<CertificateRule> certificateRule, boolean certificateBoundTokens, boolean resourceServer) {

    public Client {
        redirectUris = List.copyOf(redirectUris);
        scopes = Set.copyOf(scopes);
        if (!JWSAlgorithm.PS256.equals(idTokenAlg) && !JWSAlgorithm.ES256.equals(idTokenAlg)) {
            throw new IllegalArgumentException("id_token_signed_response_alg must be PS256 or ES256");
        }
    }

    /** A client that is not a resource server. */
    public Client(String clientId, AuthMethod authMethod, JWKSet jwks, List<String> redirectUris, Set<String> scopes,
                  boolean dpopRequired, JWSAlgorithm idTokenAlg, Optional<CertificateRule> certificateRule,
                  boolean certificateBoundTokens) {
        this(clientId, authMethod, jwks, redirectUris, scopes, dpopRequired, idTokenAlg, certificateRule,
                certificateBoundTokens, false);
    }

    /** A private_key_jwt client whose ID tokens are signed PS256. */
    public Client(String clientId, AuthMethod authMethod, JWKSet jwks, List<String> redirectUris, Set<String> scopes,
                  boolean dpopRequired) {
        this(clientId, authMethod, jwks, redirectUris, scopes, dpopRequired, JWSAlgorithm.PS256);
    }

    /** A client without a certificate rule, its tokens DPoP-bound. */
    public Client(String clientId, AuthMethod authMethod, JWKSet jwks, List<String> redirectUris, Set<String> scopes,
                  boolean dpopRequired, JWSAlgorithm idTokenAlg) {
        this(clientId, authMethod, jwks, redirectUris, scopes, dpopRequired, idTokenAlg, Optional.empty(), false);
    }
}
