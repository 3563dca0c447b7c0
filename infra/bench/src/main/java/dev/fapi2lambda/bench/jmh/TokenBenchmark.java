package dev.fapi2lambda.bench.jmh;

import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The whole token request in-process: TokenEndpoint.handle of an authorization_code request
 * (client assertion verify, DPoP proof verify, code redemption on the in-memory store, PS256 access
 * token and PS256 ID token). Each call needs a fresh code, assertion and proof: a batch is minted
 * per iteration, outside the measurement, on a fresh store, and only handle() is timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenBenchmark {
    /** template.yaml's Ps256Key is RSA_3072. */
    @Param({"3072"})
    public int rsaBits;

    /** Requests minted per iteration: more than one iteration can use. */
    @Param({"1500"})
    public int batch;

    private TokenFixture.Keys keys;
    private TokenFixture fixture;
    private Request[] requests;
    private int next;

    @Setup(Level.Trial)
    public void keys() throws Exception {
        keys = TokenFixture.Keys.generate(rsaBits);
    }

    @Setup(Level.Iteration)
    public void mint() {
        fixture = new TokenFixture(keys);
        requests = new Request[batch];
        for (int i = 0; i < batch; i++) {
            requests[i] = fixture.nextRequest();
        }
        next = 0;
    }

    @Benchmark
    public Response tokenRequest() {
        if (next == requests.length) {
            throw new IllegalStateException("the batch of " + batch + " requests is spent: raise --batch");
        }
        Request request = requests[next];
        requests[next++] = null;
        Response response = fixture.endpoint().handle(request);
        if (response.status() != 200) {
            throw new IllegalStateException("token request failed: " + response.status() + " " + response.body());
        }
        return response;
    }
}
