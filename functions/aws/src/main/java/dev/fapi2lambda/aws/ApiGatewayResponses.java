package dev.fapi2lambda.aws;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.http.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the core's Response as the Lambda proxy integration's response JSON. */
public final class ApiGatewayResponses {
    private ApiGatewayResponses() {
    }

    public static Map<String, Object> toMap(Response response) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", (long) response.status());
        out.put("headers", new LinkedHashMap<>(response.headers()));
        if (!response.cookies().isEmpty()) {
            // Several Set-Cookie values need multiValueHeaders (payload 1.0).
            out.put("multiValueHeaders", Map.of("Set-Cookie", response.cookies()));
        }
        out.put("body", response.body());
        out.put("isBase64Encoded", false);
        return out;
    }

    public static void write(Response response, OutputStream output) throws IOException {
        output.write(JSONObjectUtils.toJSONString(toMap(response)).getBytes(StandardCharsets.UTF_8));
        output.flush();
    }
}
