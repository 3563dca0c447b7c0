package dev.fapi2lambda.aws;

import dev.fapi2lambda.aws.Priming.Part;
import java.util.EnumSet;

/** Lambda handler: /par (RFC 9126). */
public final class ParFunction extends ApiFunction {
    static {
        // Cold start: client assertion and DPoP proof (ES256), client read, request and jti writes.
        Priming.start(EnumSet.of(Part.TLS, Part.JSON, Part.ES256, Part.SDK, Part.DYNAMODB));
    }

    public ParFunction() {
        this(Default.COMPONENTS);
    }

    public ParFunction(Components components) {
        super(components.par());
    }
}
