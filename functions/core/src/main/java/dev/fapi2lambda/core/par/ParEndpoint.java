package dev.fapi2lambda.core.par;

import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientAuthentication;
import dev.fapi2lambda.core.config.Params;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.DpopProof;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** RFC 9126 pushed authorization requests, as FAPI 2.0 SP 5.3.2.2 requires them. */
public final class ParEndpoint implements Endpoint {
    private final ServerConfig config;
    private final ClientAuthentication clientAuthentication;
    private final DpopProofValidator dpop;
    private final AuthorizationRequestChecks checks = new AuthorizationRequestChecks();
    private final PushedRequests pushedRequests;
    private final Secrets secrets;
    private final Clock clock;

    public ParEndpoint(ServerConfig config, ClientAuthentication clientAuthentication, DpopProofValidator dpop,
                       PushedRequests pushedRequests, Secrets secrets, Clock clock) {
        this.config = config;
        this.clientAuthentication = clientAuthentication;
        this.dpop = dpop;
        this.pushedRequests = pushedRequests;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public Response handle(Request request) {
        if (!request.isPost()) {
            throw OAuthException.methodNotAllowed("POST");                       // RFC 9126 2: POST only
        }
        Form form = Form.of(request, config.maxBodyBytes());                       // RFC 9126 2.1: form-encoded
        ClientAuthentication.Verified verified = clientAuthentication.verify(request, form); // RFC 9126 2
        Optional<DpopProofValidator.Checked> proof = dpop.checkIfPresent(request,   // RFC 9449 10: DPoP at PAR
                DpopProofValidator.Expectation.atAuthorizationServer(
                        config.url(Paths.PAR, request.clientCertificate().isPresent())));
        // The jtis of the assertion and of the proof are used up with the request's own write, once the
        // DPoP nonce is settled (a nonce retry sends the very same request again).
        OneTime oneTime = verified.oneTime(proof.map(DpopProofValidator.Checked::guard));
        Client client = verified.client();
        Instant now = clock.instant();
        AuthorizationRequest bound;
        try {
            AuthorizationRequest checked = checks.check(form, client);             // RFC 9126 2.1 / FAPI 2.0
            bound = bindDpopKey(checked, proof.map(DpopProofValidator.Checked::proof), client);
        } catch (OAuthException refused) {
            oneTime.commit(now);                   // a refused request uses its jtis up too
            throw refused;
        }
        String requestUri = Params.REQUEST_URI_PREFIX + secrets.next();            // >= 128 bits, drawn now
        oneTime.commitWith(List.of(pushedRequests.toSave(requestUri, bound, now.plus(config.parLifetime()))), now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_uri", requestUri);
        body.put("expires_in", config.parLifetime().toSeconds());
        return Response.json(201, body);                                           // RFC 9126 2.2: 201, no-store
    }

    /**
     * RFC 9449 10: the proof's key (or dpop_jkt) binds the future code; both present and
     * different is an error. A client registered as DPoP-only must bind a key here.
     */
    private static AuthorizationRequest bindDpopKey(AuthorizationRequest request, Optional<DpopProof> proof, Client client) {
        Optional<String> jkt = request.dpopJkt();
        if (proof.isPresent() && jkt.isPresent() && !proof.get().jkt().equals(jkt.get())) {
            throw OAuthException.invalidDpopProof("dpop_jkt does not match the DPoP proof key");
        }
        Optional<String> bound = jkt.or(() -> proof.map(DpopProof::jkt));
        if (client.dpopRequired() && bound.isEmpty()) {
            throw OAuthException.invalidRequest("this client must bind a DPoP key: send a DPoP proof or dpop_jkt");
        }
        return new AuthorizationRequest(request.clientId(), request.redirectUri(), request.scopes(),
                request.codeChallenge(), request.state(), request.nonce(), bound, request.prompt(), request.maxAge(),
                request.loginHint());
    }
}
