package dev.fapi2lambda.core.http;

/** One endpoint of the authorization server. Throws {@code OAuthException} for protocol errors. */
@FunctionalInterface
public interface Endpoint {
    Response handle(Request request);
}
