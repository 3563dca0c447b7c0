package dev.fapi2lambda.aws;

/** Lambda handler: /.well-known/openid-configuration and /.well-known/oauth-authorization-server. */
public final class DiscoveryFunction extends ApiFunction {
    public DiscoveryFunction() {
        this(Default.COMPONENTS);
    }

    public DiscoveryFunction(Components components) {
        super(components.discovery());
    }
}
