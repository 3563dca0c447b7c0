package dev.fapi2lambda.aws;

import dev.fapi2lambda.aws.Priming.Part;
import java.util.EnumSet;

/** Lambda handler: /authorize: the login and consent pages (GET and POST). */
public final class AuthorizeFunction extends ApiFunction {
    static {
        // Cold start: forms, pushed request, user, session and code items.
        Priming.start(EnumSet.of(Part.TLS, Part.JSON, Part.SDK, Part.DYNAMODB));
    }

    public AuthorizeFunction() {
        this(Default.COMPONENTS);
    }

    public AuthorizeFunction(Components components) {
        super(components.authorize());
    }
}
