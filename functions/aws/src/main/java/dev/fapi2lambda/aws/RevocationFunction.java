package dev.fapi2lambda.aws;

import dev.fapi2lambda.aws.Priming.Part;
import java.util.EnumSet;

/** Lambda handler: /revoke (RFC 7009). */
public final class RevocationFunction extends ApiFunction {
    static {
        // Cold start: client assertion (ES256), access token (PS256), grant items.
        Priming.start(EnumSet.of(Part.TLS, Part.JSON, Part.ES256, Part.PS256, Part.SDK, Part.DYNAMODB));
    }

    public RevocationFunction() {
        this(Default.COMPONENTS);
    }

    public RevocationFunction(Components components) {
        super(components.revoke());
    }
}
