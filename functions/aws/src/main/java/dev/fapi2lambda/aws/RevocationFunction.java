package dev.fapi2lambda.aws;

/** Lambda handler: /revoke (RFC 7009). */
public final class RevocationFunction extends ApiFunction {
    public RevocationFunction() {
        this(Default.COMPONENTS);
    }

    public RevocationFunction(Components components) {
        super(components.revoke());
    }
}
