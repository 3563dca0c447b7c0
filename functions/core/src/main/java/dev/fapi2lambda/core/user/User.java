package dev.fapi2lambda.core.user;

import java.util.Map;

/**
 * An end-user who can log in at the authorization endpoint.
 *
 * @param username     the login name, also the subject identifier
 * @param passwordHash the {@link PasswordHasher} hash
 * @param claims       profile claims (name, email, ...) released by scope
 */
public record User(String username, String passwordHash, Map<String, String> claims) {
    public User {
        claims = Map.copyOf(claims);
    }
}
