package dev.fapi2lambda.core.resource;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.token.TokenIssuer;
import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** An access token that passed every check, with what a resource needs from it. */
public record ValidatedToken(JWTClaimsSet claims) {

    public String subject() {
        return claims.getSubject();
    }

    public String clientId() {
        return string("client_id").orElse("");
    }

    public List<String> scopes() {
        return string("scope").map(s -> Arrays.asList(s.split(" "))).orElse(List.of());
    }

    public Optional<String> grantId() {
        return string(TokenIssuer.GRANT_CLAIM);
    }

    private Optional<String> string(String name) {
        try {
            return Optional.ofNullable(claims.getStringClaim(name));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
