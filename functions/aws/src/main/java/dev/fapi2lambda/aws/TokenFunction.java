package dev.fapi2lambda.aws;

/** Lambda handler: /token. */
public final class TokenFunction extends ApiFunction {
    public TokenFunction() {
        this(Default.COMPONENTS);
    }

    public TokenFunction(Components components) {
        super(components.token());
    }
}
