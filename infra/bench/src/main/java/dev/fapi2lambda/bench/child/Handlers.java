package dev.fapi2lambda.bench.child;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.nimbusds.jose.jwk.JWKSet;
import dev.fapi2lambda.aws.AccountsFunction;
import dev.fapi2lambda.aws.AuthorizeFunction;
import dev.fapi2lambda.aws.Components;
import dev.fapi2lambda.aws.DiscoveryFunction;
import dev.fapi2lambda.aws.DpopAuthorizerFunction;
import dev.fapi2lambda.aws.DynamoDbItemStore;
import dev.fapi2lambda.aws.Environment;
import dev.fapi2lambda.aws.IntrospectionFunction;
import dev.fapi2lambda.aws.JwksFunction;
import dev.fapi2lambda.aws.ParFunction;
import dev.fapi2lambda.aws.RevocationFunction;
import dev.fapi2lambda.aws.TokenFunction;
import dev.fapi2lambda.aws.UserinfoFunction;
import dev.fapi2lambda.core.keys.JwkKeyService;
import dev.fapi2lambda.core.store.ItemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/** The function under test, built as the launcher's mode says. */
final class Handlers {
    private Handlers() {
    }

    /**
     * The *Function's Components constructor, with the parts built as Environment builds them
     * (lazily, on first use), except: DynamoDB at DYNAMODB_ENDPOINT (endpointOverride) and the local
     * key service over the JWK set in KEYS_FILE. FIXED_CLOCK pins the clock, for sample events
     * signed at a fixed time; it is epoch milliseconds, because parsing an ISO instant loads
     * java.time's formatters, about 10 ms of work the functions never do. The authorizer, which has
     * no Components constructor and no key service, is DpopAuthorizerFunction.fromEnvironment on the
     * same store and clock (its keys come from JWKS_URI, as deployed); the sample API has no parts.
     */
    static RequestStreamHandler fromComponents(String target) {
        // Lambda's runtime loads and initialises the handler class before anything else, so the
        // function's static initialiser (Priming.start) runs before its parts are built, as there.
        initialise(functionClass(target));
        Environment env = Environment.system();
        URI endpoint = URI.create(System.getenv("DYNAMODB_ENDPOINT"));
        String table = System.getenv("TABLE_NAME");
        String fixed = System.getenv("FIXED_CLOCK");
        Clock clock = fixed == null ? Clock.systemUTC()
                : Clock.fixed(Instant.ofEpochMilli(Long.parseLong(fixed)), ZoneOffset.UTC);
        Supplier<ItemStore> store = () -> new DynamoDbItemStore(env.dynamoDbClient().endpointOverride(endpoint).build(),
                table);
        // The authorizer has no key service (it reads the issuer's JWKS from JWKS_URI); the sample API, no parts.
        if ("authorizer".equals(target)) {
            return DpopAuthorizerFunction.fromEnvironment(env, store, clock);
        }
        if ("accounts".equals(target)) {
            return new AccountsFunction();
        }
        Path keysFile = Path.of(System.getenv("KEYS_FILE"));
        Components components = new Components(env.serverConfig(), store,
                () -> {
                    try {
                        return new JwkKeyService(JWKSet.parse(Files.readString(keysFile)).getKeys());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (java.text.ParseException e) {
                        throw new IllegalStateException(e);
                    }
                },
                clock, new SecureRandom(), env.certificateTrust());
        // Direct constructor calls, as for the baseline (which Lambda would build by reflection too).
        return switch (target) {
            case "discovery" -> new DiscoveryFunction(components);
            case "jwks" -> new JwksFunction(components);
            case "par" -> new ParFunction(components);
            case "authorize" -> new AuthorizeFunction(components);
            case "token" -> new TokenFunction(components);
            case "userinfo" -> new UserinfoFunction(components);
            case "introspect" -> new IntrospectionFunction(components);
            case "revoke" -> new RevocationFunction(components);
            default -> throw new IllegalArgumentException("unknown function " + target);
        };
    }

    private static Class<?> functionClass(String target) {
        return switch (target) {
            case "discovery" -> DiscoveryFunction.class;
            case "jwks" -> JwksFunction.class;
            case "par" -> ParFunction.class;
            case "authorize" -> AuthorizeFunction.class;
            case "token" -> TokenFunction.class;
            case "userinfo" -> UserinfoFunction.class;
            case "introspect" -> IntrospectionFunction.class;
            case "revoke" -> RevocationFunction.class;
            case "authorizer" -> DpopAuthorizerFunction.class;
            case "accounts" -> AccountsFunction.class;
            default -> throw new IllegalArgumentException("unknown function " + target);
        };
    }

    private static void initialise(Class<?> function) {
        try {
            Class.forName(function.getName(), true, function.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The no-argument constructor Lambda calls: Components from the environment (DynamoDB and KMS
     * clients as deployed; AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_KMS point them here).
     */
    static RequestStreamHandler byDefault(String target) {
        return switch (target) {
            case "discovery" -> new DiscoveryFunction();
            case "jwks" -> new JwksFunction();
            case "par" -> new ParFunction();
            case "authorize" -> new AuthorizeFunction();
            case "token" -> new TokenFunction();
            case "userinfo" -> new UserinfoFunction();
            case "introspect" -> new IntrospectionFunction();
            case "revoke" -> new RevocationFunction();
            case "authorizer" -> new DpopAuthorizerFunction();
            case "accounts" -> new AccountsFunction();
            default -> throw new IllegalArgumentException("unknown function " + target);
        };
    }
}
