package dev.fapi2lambda.core.client;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a client before it is stored, so that every stored client is one FAPI 2.0 allows.
 * Throws {@link IllegalArgumentException} naming the first problem.
 */
public final class ClientRegistration {
    private final Set<String> scopesSupported;

    public ClientRegistration(List<String> scopesSupported) {
        this.scopesSupported = Set.copyOf(scopesSupported);
    }

    public Client validate(Client client) {
        if (client.clientId() == null || !client.clientId().matches("[A-Za-z0-9._~-]{1,128}")) {
            throw new IllegalArgumentException("client_id must be 1-128 characters of A-Z a-z 0-9 . _ ~ -");
        }
        checkAuthentication(client);
        if (client.redirectUris().isEmpty()) {
            throw new IllegalArgumentException("at least one redirect URI is required");
        }
        client.redirectUris().forEach(ClientRegistration::checkRedirectUri);
        if (client.scopes().isEmpty()) {
            throw new IllegalArgumentException("at least one scope is required");
        }
        for (String scope : client.scopes()) {
            if (!scopesSupported.contains(scope)) {
                throw new IllegalArgumentException("scope " + scope + " is not supported; supported: " + scopesSupported);
            }
        }
        return client;
    }

    /** RFC 8705 2 and FAPI 2.0 SP 5.3.2.1: one method, with what that method needs and nothing it would ignore. */
    private static void checkAuthentication(Client client) {
        switch (client.authMethod()) {
            case PRIVATE_KEY_JWT, SELF_SIGNED_TLS_CLIENT_AUTH -> {
                checkJwks(client.jwks());
                if (client.certificateRule().isPresent()) {
                    throw new IllegalArgumentException("a subject DN or SAN rule is only for tls_client_auth");
                }
            }
            case TLS_CLIENT_AUTH -> {
                if (client.certificateRule().isEmpty()) {
                    throw new IllegalArgumentException("tls_client_auth needs a subject DN or SAN rule (RFC 8705 2.1.2)");
                }
                if (!client.jwks().getKeys().isEmpty()) {
                    checkJwks(client.jwks());
                }
            }
            default -> throw new IllegalArgumentException("unknown authentication method");
        }
        if (client.dpopRequired() && client.certificateBoundTokens()) {
            throw new IllegalArgumentException("choose one sender constraint: DPoP or certificate-bound tokens");
        }
    }

    /** FAPI 2.0 SP 5.4.1: RSA keys of at least 2048 bits or EC keys on P-256; public only; each with a unique kid. */
    static void checkJwks(JWKSet jwks) {
        if (jwks.getKeys().isEmpty()) {
            throw new IllegalArgumentException("the JWKS has no keys");
        }
        Set<String> kids = new HashSet<>();
        for (JWK key : jwks.getKeys()) {
            if (key.isPrivate()) {
                throw new IllegalArgumentException("the JWKS must hold public keys only (key " + key.getKeyID() + " is private)");
            }
            if (key.getKeyID() == null || key.getKeyID().isBlank()) {
                throw new IllegalArgumentException("every key needs a kid");
            }
            if (!kids.add(key.getKeyID())) {
                throw new IllegalArgumentException("kid " + key.getKeyID() + " is used twice");
            }
            if (key instanceof RSAKey rsa) {
                if (rsa.size() < 2048) {
                    throw new IllegalArgumentException("RSA key " + key.getKeyID() + " is shorter than 2048 bits");
                }
            } else if (key instanceof ECKey ec) {
                if (!Curve.P_256.equals(ec.getCurve())) {
                    throw new IllegalArgumentException("EC key " + key.getKeyID() + " is not on P-256");
                }
            } else {
                throw new IllegalArgumentException("key " + key.getKeyID() + " is neither RSA nor EC P-256");
            }
        }
    }

    /** RFC 9700 2.1 / FAPI 2.0: exact https redirect URIs; a query is allowed, a fragment never (RFC 6749 3.1.2). */
    static void checkRedirectUri(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redirect URI " + value + " is not a URI");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("redirect URI " + value + " must be an absolute https URL");
        }
        if (uri.getRawFragment() != null || value.contains("#")) {
            throw new IllegalArgumentException("redirect URI " + value + " must not have a fragment");
        }
        if (uri.getRawUserInfo() != null || value.contains("*")) {
            throw new IllegalArgumentException("redirect URI " + value + " must not contain user info or wildcards");
        }
    }
}
