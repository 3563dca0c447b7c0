package dev.fapi2lambda.aws;

/** Lambda handler: /introspect (RFC 7662). */
public final class IntrospectionFunction extends ApiFunction {
    public IntrospectionFunction() {
        this(Default.COMPONENTS);
    }

    public IntrospectionFunction(Components components) {
        super(components.introspect());
    }
}
