package dev.fapi2lambda.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample protected API: GET /accounts behind the DPoP authorizer. It trusts only what the
 * authorizer put in requestContext.authorizer (sub, client_id, scope) and answers with sample
 * accounts of that subject; without the accounts scope it answers 403 insufficient_scope.
 */
public final class AccountsFunction implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayResponses.write(handle(new String(input.readAllBytes(), StandardCharsets.UTF_8)), output);
    }

    static Response handle(String json) {
        Map<String, Object> authorizer;
        try {
            Map<String, Object> requestContext = JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(json), "requestContext");
            authorizer = requestContext == null ? null : JSONObjectUtils.getJSONObject(requestContext, "authorizer");
        } catch (ParseException e) {
            authorizer = null;
        }
        if (authorizer == null || !(authorizer.get("sub") instanceof String sub)) {
            return Response.json(401, Map.of("error", "invalid_token", "error_description", "no authorized caller"));
        }
        List<String> scopes = List.of(String.valueOf(authorizer.getOrDefault("scope", "")).split(" "));
        if (!scopes.contains("accounts")) {
            return Response.json(403, Map.of("error", "insufficient_scope", "error_description", "the accounts scope is required"),
                    Map.of("WWW-Authenticate", "DPoP error=\"insufficient_scope\", scope=\"accounts\""));
        }
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("accountId", "acc-" + Integer.toHexString(sub.hashCode()));
        account.put("owner", sub);
        account.put("currency", "EUR");
        account.put("balance", "1234.56");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", sub);
        body.put("client_id", authorizer.getOrDefault("client_id", ""));
        body.put("accounts", List.of(account));
        return Response.json(200, body);
    }
}
