package dev.fapi2lambda.aws;

/** Lambda handler: /jwks. */
public final class JwksFunction extends ApiFunction {
    public JwksFunction() {
        this(Default.COMPONENTS);
    }

    public JwksFunction(Components components) {
        super(components.jwks());
    }
}
