package dev.fapi2lambda.aws;

/** Lambda handler: /authorize: the login and consent pages (GET and POST). */
public final class AuthorizeFunction extends ApiFunction {
    public AuthorizeFunction() {
        this(Default.COMPONENTS);
    }

    public AuthorizeFunction(Components components) {
        super(components.authorize());
    }
}
