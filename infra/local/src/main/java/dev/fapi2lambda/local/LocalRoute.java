package dev.fapi2lambda.local;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import dev.fapi2lambda.aws.GatewayResponses;
import dev.fapi2lambda.core.http.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the local server does for one path, the way API Gateway would. */
@FunctionalInterface
interface LocalRoute {
    Response serve(HttpExchange exchange, byte[] body) throws IOException;

    /** A Lambda proxy integration: the event to the function, its response back. */
    static LocalRoute function(com.amazonaws.services.lambda.runtime.RequestStreamHandler function) {
        return (exchange, body) -> proxyResponse(invoke(function, LocalEvents.toEvent(exchange, body)));
    }

    /**
     * A route behind a REQUEST Lambda authorizer: no Authorization header is API Gateway's own 401;
     * a Deny is the ACCESS_DENIED gateway response ({@link GatewayResponses}); an Allow passes the
     * authorizer's context to the backend in requestContext.authorizer.
     */
    static LocalRoute authorized(com.amazonaws.services.lambda.runtime.RequestStreamHandler authorizer,
                                 com.amazonaws.services.lambda.runtime.RequestStreamHandler backend) {
        return (exchange, body) -> {
            if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                return GatewayResponses.unauthorized();
            }
            Map<String, Object> decision = parse(invoke(authorizer, LocalEvents.toAuthorizerEvent(exchange)));
            Map<String, Object> context = object(decision, "context");
            if (!allows(decision)) {
                return GatewayResponses.denied(context);
            }
            Map<String, Object> event = parse(LocalEvents.toEvent(exchange, body));
            Map<String, Object> authorizerContext = new LinkedHashMap<>(context);
            authorizerContext.put("principalId", decision.get("principalId"));
            object(event, "requestContext").put("authorizer", authorizerContext);
            return proxyResponse(invoke(backend, JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8)));
        };
    }

    /** Whether the authorizer's policy allows: one statement, Effect Allow. */
    private static boolean allows(Map<String, Object> decision) {
        Object statements = object(decision, "policyDocument").get("Statement");
        return statements instanceof List<?> list && list.size() == 1 && list.get(0) instanceof Map<?, ?> statement
                && "Allow".equals(statement.get("Effect"));
    }

    private static byte[] invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler function, byte[] event)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event), out, null);
        return out.toByteArray();
    }

    private static Response proxyResponse(byte[] json) throws IOException {
        Map<String, Object> result = parse(json);
        Map<String, String> headers = new LinkedHashMap<>();
        object(result, "headers").forEach((k, v) -> headers.put(k, String.valueOf(v)));
        List<String> cookies = new ArrayList<>();
        if (object(result, "multiValueHeaders").get("Set-Cookie") instanceof List<?> values) {
            values.forEach(v -> cookies.add(String.valueOf(v)));
        }
        return new Response(((Number) result.get("statusCode")).intValue(), headers, (String) result.get("body"), cookies);
    }

    private static Map<String, Object> parse(byte[] json) throws IOException {
        try {
            return JSONObjectUtils.parse(new String(json, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IOException("the function returned no JSON object", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<?, ?> parent, String name) {
        return parent.get(name) instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }
}
