package dev.fapi2lambda.aws;

import dev.fapi2lambda.aws.Priming.Part;
import java.util.EnumSet;

/** Lambda handler: /introspect (RFC 7662). */
public final class IntrospectionFunction extends ApiFunction {
    static {
        // Cold start: client assertion (ES256), access token (PS256), grant items.
        Priming.start(EnumSet.of(Part.TLS, Part.JSON, Part.ES256, Part.PS256, Part.SDK, Part.DYNAMODB));
    }

    public IntrospectionFunction() {
        this(Default.COMPONENTS);
    }

    public IntrospectionFunction(Components components) {
        super(components.introspect());
    }
}
