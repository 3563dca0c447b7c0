package dev.fapi2lambda.aws;

import dev.fapi2lambda.aws.Priming.Part;
import java.util.EnumSet;

/** Lambda handler: /userinfo. */
public final class UserinfoFunction extends ApiFunction {
    static {
        // Cold start: access token (PS256), DPoP proof (ES256), grant, user and jti items.
        Priming.start(EnumSet.of(Part.TLS, Part.JSON, Part.ES256, Part.PS256, Part.SDK, Part.DYNAMODB));
    }

    public UserinfoFunction() {
        this(Default.COMPONENTS);
    }

    public UserinfoFunction(Components components) {
        super(components.userinfo());
    }
}
