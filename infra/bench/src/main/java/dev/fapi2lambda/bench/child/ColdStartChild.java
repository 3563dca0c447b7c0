package dev.fapi2lambda.bench.child;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fresh JVM of one cold start: loads one handler, serves one event, prints {@code READY} the
 * moment the response is complete, then (outside the measured span) the details. It touches
 * nothing it does not have to before the response: the management API that tells the JVM's start
 * time is loaded only after {@code READY} is printed.
 *
 * <p>Arguments: {@code target event-file mode}, where target is discovery, jwks, par, authorize,
 * token, userinfo, introspect, revoke, authorizer, accounts or baseline, and mode is {@code components} (the function's Components
 * constructor: a DynamoDbItemStore on {@code DYNAMODB_ENDPOINT} and the local key service from
 * {@code KEYS_FILE}) or {@code default} (the no-argument constructor Lambda calls: everything from the
 * environment, KMS included). The rest comes from the environment, as in Lambda.
 */
public final class ColdStartChild {
    private static final Pattern STATUS = Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)");
    /** An authorizer answers a policy, not a response: Allow counts as 200, Deny as the 401 API Gateway makes of it. */
    private static final Pattern EFFECT = Pattern.compile("\"Effect\"\\s*:\\s*\"(Allow|Deny)\"");

    private ColdStartChild() {
    }

    public static void main(String[] args) throws Exception {
        long mainAt = System.currentTimeMillis();
        String target = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        String mode = args.length > 2 ? args[2] : "components";
        long initAt;
        String response;
        if ("baseline".equals(target)) {
            BaselineHandler handler = new BaselineHandler();
            initAt = System.currentTimeMillis();
            response = handler.handleRequest(new String(event, StandardCharsets.UTF_8), null);
        } else {
            com.amazonaws.services.lambda.runtime.RequestStreamHandler handler = "default".equals(mode)
                    ? Handlers.byDefault(target) : Handlers.fromComponents(target);
            initAt = System.currentTimeMillis();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
            response = out.toString(StandardCharsets.UTF_8);
        }
        long readyAt = System.currentTimeMillis();
        PrintStream stdout = System.out;
        stdout.println("READY");
        stdout.flush();
        // Outside the measured span from here on.
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Matcher status = STATUS.matcher(response);
        Matcher effect = EFFECT.matcher(response);
        String code = "none";
        if (status.find()) {
            code = status.group(1);
        } else if (effect.find()) {
            code = "Allow".equals(effect.group(1)) ? "200" : "401";
        }
        stdout.println("DETAIL jvmStart=" + jvmStart + " main=" + mainAt + " init=" + initAt + " ready=" + readyAt
                + " status=" + code);
        if (System.getenv("COLDSTART_PRINT_RESPONSE") != null) {
            stdout.println("RESPONSE " + response);
        }
        stdout.flush();
        System.exit(0);
    }
}
