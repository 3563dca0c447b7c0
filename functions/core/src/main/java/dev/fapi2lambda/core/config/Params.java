package dev.fapi2lambda.core.config;

/** OAuth parameter names, in one place. */
public final class Params {
    public static final String CLIENT_ID = "client_id";
    public static final String CLIENT_ASSERTION = "client_assertion";
    public static final String CLIENT_ASSERTION_TYPE = "client_assertion_type";
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static final String RESPONSE_TYPE = "response_type";
    public static final String RESPONSE_MODE = "response_mode";
    public static final String REDIRECT_URI = "redirect_uri";
    public static final String SCOPE = "scope";
    public static final String STATE = "state";
    public static final String NONCE = "nonce";
    public static final String CODE_CHALLENGE = "code_challenge";
    public static final String CODE_CHALLENGE_METHOD = "code_challenge_method";
    public static final String REQUEST_URI = "request_uri";
    public static final String REQUEST = "request";
    public static final String DPOP_JKT = "dpop_jkt";
    public static final String PROMPT = "prompt";
    public static final String MAX_AGE = "max_age";
    public static final String LOGIN_HINT = "login_hint";
    public static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

    private Params() {
    }
}
