package dev.fapi2lambda.core.token;

import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientAuthentication;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.dpop.DpopNonces;
import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.store.OneTime;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 6749 3.2 token endpoint as FAPI 2.0 narrows it: confidential clients only, the
 * authorization_code grant with PKCE and the refresh_token grant, every token DPoP-bound.
 */
public final class TokenEndpoint implements Endpoint {
    private final ServerConfig config;
    private final ClientAuthentication clientAuthentication;
    private final DpopProofValidator dpop;
    private final DpopNonces nonces;
    private final CodeGrant codeGrant;
    private final RefreshGrant refreshGrant;
    private final Clock clock;

    public TokenEndpoint(ServerConfig config, ClientAuthentication clientAuthentication, DpopProofValidator dpop,
                         DpopNonces nonces, CodeGrant codeGrant, RefreshGrant refreshGrant, Clock clock) {
        this.config = config;
        this.clientAuthentication = clientAuthentication;
        this.dpop = dpop;
        this.nonces = nonces;
        this.codeGrant = codeGrant;
        this.refreshGrant = refreshGrant;
        this.clock = clock;
    }

    @Override
    public Response handle(Request request) {
        if (!request.isPost()) {
            throw OAuthException.methodNotAllowed("POST");                      // RFC 6749 3.2
        }
        Form form = Form.of(request, config.maxBodyBytes());
        ClientAuthentication.Verified verified = clientAuthentication.verify(request, form); // FAPI 2.0 SP 5.3.2.1
        String grantType = form.require("grant_type");
        if (!"authorization_code".equals(grantType) && !"refresh_token".equals(grantType)) {
            // FAPI 2.0 SP 5.3.2.1 item 3: no password grant; no implicit; nothing else is offered.
            throw OAuthException.status(400, "unsupported_grant_type", "grant_type " + grantType + " is not supported");
        }
        Optional<DpopProofValidator.Checked> proof = dpop.checkIfPresent(request,   // RFC 9449 5: always honoured
                DpopProofValidator.Expectation.atAuthorizationServer(
                        config.url(Paths.TOKEN, request.clientCertificate().isPresent())));
        // The jtis of the assertion and of the proof: used up with the grant's writes, once the DPoP
        // nonce is settled; a request refused after this point uses them up as well.
        OneTime oneTime = verified.oneTime(proof.map(DpopProofValidator.Checked::guard));
        Client client = verified.client();
        Map<String, Object> tokens;
        try {
            Binding binding = Binding.of(client, proof.map(DpopProofValidator.Checked::proof),
                    request.clientCertificate());                                  // FAPI 2.0 SP 5.3.2.1 item 4
            if ("authorization_code".equals(grantType)) {
                tokens = codeGrant.redeem(form, client, binding, oneTime);
            } else {
                oneTime.commit(clock.instant());
                tokens = refreshGrant.refresh(form, client, binding);
            }
        } catch (OAuthException refused) {
            oneTime.commit(clock.instant());
            throw refused;
        }
        Instant now = clock.instant();
        Map<String, String> headers = new LinkedHashMap<>();
        nonces.current(now).ifPresent(n -> headers.put("DPoP-Nonce", n));     // RFC 9449 8.2
        return Response.json(200, tokens, headers);                             // RFC 6749 5.1: no-store
    }

    /** The token response common to both grants. */
    static Map<String, Object> response(String accessToken, long expiresIn, Grant grant, Optional<String> refreshToken,
                                        Optional<String> idToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", grant.dpopJkt().isPresent() ? "DPoP" : "Bearer");   // RFC 9449 5 / RFC 8705 3
        body.put("expires_in", expiresIn);
        body.put("scope", String.join(" ", grant.scopes()));
        refreshToken.ifPresent(rt -> body.put("refresh_token", rt));
        idToken.ifPresent(id -> body.put("id_token", id));
        return body;
    }
}
