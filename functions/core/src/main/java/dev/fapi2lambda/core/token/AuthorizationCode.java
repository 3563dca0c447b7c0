package dev.fapi2lambda.core.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an authorization code stands for, stored under the SHA-256 of the code.
 *
 * @param clientId      the client the code was issued to
 * @param redirectUri   the redirect URI it was delivered to
 * @param scopes        the granted scopes
 * @param codeChallenge the S256 PKCE challenge
 * @param nonce         the OIDC nonce, echoed in the ID token
 * @param subject       the end-user
 * @param authTime      when the end-user authenticated
 * @param dpopJkt       the DPoP key the code is bound to (RFC 9449 10)
 * @param grantId       the grant the tokens will belong to, known before redemption so a replay can revoke it
 */
public record AuthorizationCode(String clientId, String redirectUri, List<String> scopes, String codeChallenge,
                                Optional<String> nonce, String subject, Instant authTime, Optional<String> dpopJkt,
                                String grantId) {
    public AuthorizationCode {
        scopes = List.copyOf(scopes);
    }
}
