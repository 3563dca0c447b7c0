package dev.fapi2lambda.core.discovery;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 8414 / OpenID Connect Discovery metadata, one document served at both well-known paths.
 * FAPI 2.0 SP 5.3.2.1 item 1 and C-DISC-1..7: only what this server really enforces is advertised.
 */
public final class DiscoveryEndpoint implements Endpoint {
    private static final List<String> ALGS = List.of("PS256", "ES256");
    private final String document;

    public DiscoveryEndpoint(ServerConfig config) {
        this.document = JSONObjectUtils.toJSONString(metadata(config));
    }

    static Map<String, Object> metadata(ServerConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", config.issuer());
        m.put("authorization_endpoint", config.url(Paths.AUTHORIZE));
        m.put("token_endpoint", config.url(Paths.TOKEN));
        m.put("pushed_authorization_request_endpoint", config.url(Paths.PAR));
        m.put("userinfo_endpoint", config.url(Paths.USERINFO));
        m.put("jwks_uri", config.url(Paths.JWKS));
        m.put("introspection_endpoint", config.url(Paths.INTROSPECT));                 // RFC 7662
        m.put("revocation_endpoint", config.url(Paths.REVOKE));                        // RFC 7009
        m.put("require_pushed_authorization_requests", true);
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        if (config.mtlsBaseUrl().isPresent()) {
            m.put("token_endpoint_auth_methods_supported",
                    List.of("private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"));
            m.put("tls_client_certificate_bound_access_tokens", true);             // RFC 8705 3.3
            Map<String, Object> aliases = new LinkedHashMap<>();                    // RFC 8705 5
            aliases.put("token_endpoint", config.url(Paths.TOKEN, true));
            aliases.put("pushed_authorization_request_endpoint", config.url(Paths.PAR, true));
            aliases.put("userinfo_endpoint", config.url(Paths.USERINFO, true));
            aliases.put("introspection_endpoint", config.url(Paths.INTROSPECT, true));
            aliases.put("revocation_endpoint", config.url(Paths.REVOKE, true));
            m.put("mtls_endpoint_aliases", aliases);
        } else {
            m.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        }
        m.put("token_endpoint_auth_signing_alg_values_supported", ALGS);
        m.put("introspection_endpoint_auth_methods_supported", m.get("token_endpoint_auth_methods_supported"));
        m.put("introspection_endpoint_auth_signing_alg_values_supported", ALGS);
        m.put("revocation_endpoint_auth_methods_supported", m.get("token_endpoint_auth_methods_supported"));
        m.put("revocation_endpoint_auth_signing_alg_values_supported", ALGS);
        m.put("dpop_signing_alg_values_supported", ALGS);
        m.put("id_token_signing_alg_values_supported", ALGS);
        m.put("scopes_supported", config.scopesSupported());
        m.put("claims_supported", config.claimsSupported());
        m.put("subject_types_supported", List.of("public"));
        m.put("request_parameter_supported", false);
        return m;
    }

    @Override
    public Response handle(Request request) {
        if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
            throw OAuthException.methodNotAllowed("GET");
        }
        return Response.publicJson(document);
    }
}
