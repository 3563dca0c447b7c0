package dev.fapi2lambda.core.par;

import java.util.List;
import java.util.Optional;

/**
 * An authorization request that passed every check, as PAR stores it and authorize reads it back.
 *
 * @param clientId            the authenticated client
 * @param redirectUri         one of the client's registered redirect URIs, exactly as sent
 * @param scopes              the requested scopes, each allowed for the client
 * @param codeChallenge       the S256 PKCE challenge
 * @param state               the client's state, kept intact
 * @param nonce               the OIDC nonce, kept intact
 * @param dpopJkt             the DPoP key the code will be bound to (RFC 9449 10)
 * @param prompt              OIDC prompt, if sent
 * @param maxAge              OIDC max_age in seconds, if sent
 * @param loginHint           OIDC login_hint, if sent
 */
public record AuthorizationRequest(String clientId, String redirectUri, List<String> scopes, String codeChallenge,
                                   Optional<String> state, Optional<String> nonce, Optional<String> dpopJkt,
                                   Optional<String> prompt, Optional<Long> maxAge, Optional<String> loginHint) {
    public AuthorizationRequest {
        scopes = List.copyOf(scopes);
    }
}
