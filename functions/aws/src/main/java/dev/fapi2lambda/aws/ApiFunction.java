package dev.fapi2lambda.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.fapi2lambda.core.error.ErrorResponses;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every Lambda function does: event in, one core endpoint, response out. Protocol errors
 * become OAuth error JSON; anything unexpected becomes 500 server_error, logged with the request
 * id and the exception's type and place only (its message might echo client input).
 */
public abstract class ApiFunction implements RequestStreamHandler {
    /** Only when something is logged: initialising java.util.logging costs a cold start about 10 ms. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(ApiFunction.class.getName());
    }
    private final Endpoint endpoint;

    protected ApiFunction(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayResponses.write(handle(input.readAllBytes()), output);
    }

    private Response handleOrRender(Request request) {
        try {
            return endpoint.handle(request);
        } catch (OAuthException e) {
            return ErrorResponses.render(e);
        }
    }

    /** FAPI: an x-fapi-interaction-id the client sent is returned unchanged (if it is a plain token). */
    private static Response echoInteractionId(Request request, Response response) {
        return request.headers().first("x-fapi-interaction-id")
                .filter(id -> id.matches("[A-Za-z0-9-]{1,64}"))
                .map(id -> response.withHeader("x-fapi-interaction-id", id))
                .orElse(response);
    }

    /** The whole function on the event's bytes; the local server calls this too (through handleRequest). */
    final Response handle(byte[] event) {
        String requestId = "unknown";
        try {
            Request request = ApiGatewayEvents.fromJson(new String(event, java.nio.charset.StandardCharsets.UTF_8));
            requestId = request.requestId();
            return echoInteractionId(request, handleOrRender(request));
        } catch (OAuthException e) {
            return ErrorResponses.render(e);
        } catch (RuntimeException e) {
            StackTraceElement where = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            Log.LOG.log(Level.SEVERE, "request {0} failed: {1} at {2}", new Object[] {requestId, e.getClass().getName(), where});
            return ErrorResponses.serverError(requestId);
        }
    }
}
