package dev.fapi2lambda.aws;

import dev.fapi2lambda.aws.Priming.Part;
import java.util.EnumSet;

/** Lambda handler: /token. */
public final class TokenFunction extends ApiFunction {
    static {
        // Cold start: client assertion and DPoP proof (ES256), code, grant and jti items.
        Priming.start(EnumSet.of(Part.TLS, Part.JSON, Part.ES256, Part.PS256, Part.SDK, Part.DYNAMODB));
    }

    public TokenFunction() {
        this(Default.COMPONENTS);
    }

    public TokenFunction(Components components) {
        super(components.token());
    }
}
