package dev.fapi2lambda.core.client;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.List;
import java.util.Set;

/**
 * A registered client. FAPI 2.0 SP 5.3.2.1: every client is confidential and authenticates with
 * private_key_jwt or mTLS; there is no client secret.
 *
 * @param clientId     the client identifier
 * @param authMethod   the one way this client authenticates
 * @param jwks         its public keys (private_key_jwt)
 * @param redirectUris the exact redirect URIs it may use
 * @param scopes       the scopes it may request
 * @param dpopRequired whether every authorization must bind a DPoP key
 */
public record Client(String clientId, AuthMethod authMethod, JWKSet jwks, List<String> redirectUris,
                     Set<String> scopes, boolean dpopRequired) {

    public Client {
        redirectUris = List.copyOf(redirectUris);
        scopes = Set.copyOf(scopes);
    }
}
