package dev.fapi2lambda.aws;

/** Lambda handler: /userinfo. */
public final class UserinfoFunction extends ApiFunction {
    public UserinfoFunction() {
        this(Default.COMPONENTS);
    }

    public UserinfoFunction(Components components) {
        super(components.userinfo());
    }
}
