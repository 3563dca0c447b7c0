package dev.fapi2lambda.aws;

/** Lambda handler: /par (RFC 9126). */
public final class ParFunction extends ApiFunction {
    public ParFunction() {
        this(Default.COMPONENTS);
    }

    public ParFunction(Components components) {
        super(components.par());
    }
}
