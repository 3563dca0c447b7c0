package dev.fapi2lambda.core.config;

/** The path of every endpoint, the same on API Gateway and the local server. */
public final class Paths {
    public static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";
    public static final String OAUTH_METADATA = "/.well-known/oauth-authorization-server";
    public static final String JWKS = "/jwks";
    public static final String PAR = "/par";
    public static final String AUTHORIZE = "/authorize";
    public static final String TOKEN = "/token";
    public static final String USERINFO = "/userinfo";
    public static final String INTROSPECT = "/introspect";
    public static final String REVOKE = "/revoke";
    /** The sample protected resource behind the Lambda authorizer. */
    public static final String ACCOUNTS = "/accounts";

    private Paths() {
    }
}
