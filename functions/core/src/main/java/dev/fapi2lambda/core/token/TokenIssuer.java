package dev.fapi2lambda.core.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.keys.JwtSigner;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mints the tokens: RFC 9068 access tokens bound to a DPoP key (cnf.jkt, RFC 9449 6) or a client
 * certificate (cnf.x5t#S256, RFC 8705 3), and OpenID
 * Connect ID tokens. Every value is drawn at request time.
 */
public final class TokenIssuer {
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    /** The access token claim naming its grant, so a resource can check revocation. */
    public static final String GRANT_CLAIM = "gid";
    private final ServerConfig config;
    private final JwtSigner signer;
    private final Secrets secrets;

    public TokenIssuer(ServerConfig config, JwtSigner signer, Secrets secrets) {
        this.config = config;
        this.signer = signer;
        this.secrets = secrets;
    }

    /** RFC 9068 2.2: iss, sub, aud, client_id, scope, iat, exp, jti, auth_time, plus cnf and the grant. */
    public String accessToken(Grant grant, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(grant.subject())
                .audience(config.apiAudience().map(api -> List.of(config.issuer(), api)).orElse(List.of(config.issuer())))
                .claim("client_id", grant.clientId())
                .claim("scope", String.join(" ", grant.scopes()))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(config.accessTokenLifetime())))
                .jwtID(secrets.next())
                .claim("auth_time", grant.authTime().getEpochSecond())
                .claim(GRANT_CLAIM, grant.id());
        Map<String, Object> cnf = new java.util.LinkedHashMap<>();
        grant.dpopJkt().ifPresent(jkt -> cnf.put("jkt", jkt));                 // RFC 9449 6.1
        grant.x5t().ifPresent(x5t -> cnf.put("x5t#S256", x5t));               // RFC 8705 3.1
        claims.claim("cnf", cnf);
        return signer.sign(config.accessTokenAlg(), AT_JWT, claims.build());
    }

    /** OpenID Connect Core 2: aud is the client, nonce echoed intact, signed with the client's algorithm. */
    public String idToken(Client client, Grant grant, Optional<String> nonce, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(grant.subject())
                .audience(client.clientId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(config.accessTokenLifetime())))
                .claim("auth_time", grant.authTime().getEpochSecond());
        nonce.ifPresent(n -> claims.claim("nonce", n));
        return signer.sign(client.idTokenAlg(), JOSEObjectType.JWT, claims.build());
    }

    /** A refresh token: the grant id and 256 random bits, all RFC 6749 A.17 characters. */
    public String refreshToken(String grantId) {
        return grantId + "." + secrets.next();
    }
}
