package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.fapi2lambda.aws.Priming.Part;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Cold-start priming: every part works, draws no randomness and opens no connection. */
class PrimingTest {

    @Test
    @DisplayName("every part primes as expected: JSON, trust store, ES256 and PS256 verification, SDK objects, canned DynamoDB requests")
    void everyPartPrimes() {
        for (Part part : Part.values()) {
            assertTrue(Priming.prime(EnumSet.of(part)), part.name());
        }
    }

    @Test
    @DisplayName("the checkpoint hook waits for the background priming and primes everything asked for")
    void checkpointHook() throws Exception {
        Priming.start(EnumSet.of(Part.JSON, Part.ES256, Part.DYNAMODB));
        assertTrue(Priming.primeForCheckpoint());
        Priming.resource().beforeCheckpoint(null);
        Priming.resource().afterRestore(null);
    }

    @Test
    @DisplayName("the priming material is public and verify-only: no private key anywhere")
    void materialIsPublic() throws Exception {
        for (String set : List.of(PrimingMaterial.CLIENT_JWKS, PrimingMaterial.SERVER_JWKS)) {
            for (JWK key : JWKSet.parse(set).getKeys()) {
                assertFalse(key.isPrivate(), key.getKeyID());
            }
        }
    }

    @Test
    @DisplayName("in a fresh JVM, priming draws nothing from SecureRandom and opens no connection (SnapStart-safe)")
    void freshJvmDrawsNoRandomnessAndOpensNoConnection() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PrimingIsolationCheck.class.getName()).redirectErrorStream(true).start();
        String output;
        try {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the check did not finish");
        } finally {
            output = read(process);
            process.destroyForcibly();
        }
        String result = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("none: " + output);
        assertEquals("RESULT ok=true secureRandoms=0 draws=0 connections=0 detector=1/1", result);
    }

    private static String read(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
