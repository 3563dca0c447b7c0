package dev.fapi2lambda.aws;

import dev.fapi2lambda.core.config.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Which function serves which path: the one table template.yaml and the local server both follow. */
public final class Routes {
    private Routes() {
    }

    public static Map<String, ApiFunction> functions(Components components) {
        Map<String, Function<Components, ApiFunction>> table = new LinkedHashMap<>();
        table.put(Paths.OPENID_CONFIGURATION, DiscoveryFunction::new);
        table.put(Paths.OAUTH_METADATA, DiscoveryFunction::new);
        table.put(Paths.JWKS, JwksFunction::new);
        table.put(Paths.PAR, ParFunction::new);
        table.put(Paths.AUTHORIZE, AuthorizeFunction::new);
        table.put(Paths.TOKEN, TokenFunction::new);
        table.put(Paths.USERINFO, UserinfoFunction::new);
        table.put(Paths.INTROSPECT, IntrospectionFunction::new);
        table.put(Paths.REVOKE, RevocationFunction::new);
        Map<String, ApiFunction> functions = new LinkedHashMap<>();
        table.forEach((path, factory) -> functions.put(path, factory.apply(components)));
        return functions;
    }
}
