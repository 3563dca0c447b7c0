package dev.fapi2lambda.core.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import java.util.List;

/** RFC 7517 JWK Set of the server's signing keys: public parts only, each with kid, use and alg. */
public final class JwksEndpoint implements Endpoint {
    private final String document;

    public JwksEndpoint(KeyService keys) {
        List<JWK> published = keys.publicKeys().stream()
                .map(JWK::toPublicJWK)
                .map(JwksEndpoint::forSigning)
                .toList();
        this.document = new JWKSet(published).toString(true);
    }

    private static JWK forSigning(JWK key) {
        if (key.getKeyID() == null || key.getAlgorithm() == null) {
            throw new IllegalStateException("every published key needs kid and alg");
        }
        return key.getKeyUse() == KeyUse.SIGNATURE ? key : rebuildWithUse(key);
    }

    private static JWK rebuildWithUse(JWK key) {
        try {
            var json = key.toJSONObject();
            json.put("use", "sig");
            return JWK.parse(json);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Response handle(Request request) {
        if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
            throw OAuthException.methodNotAllowed("GET");
        }
        return Response.publicJson(document);
    }
}
