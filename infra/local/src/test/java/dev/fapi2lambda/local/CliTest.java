package dev.fapi2lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.fapi2lambda.core.testing.TestKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a person runs it: each command in its own JVM (java -cp ... Cli), the way
 * the executable jar runs it.
 */
class CliTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("serve prints the issuer, the CA file and the demo credentials, then 'ready <issuer>'; discovery answers 200")
    void serveStartsAndSaysReady() throws Exception {
        long started = System.nanoTime();
        Process serve = cli(List.of("serve", "--port", "0", "--in-memory", "--state-dir", dir.toString())).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("ready ")) {
                lines.add(line);
            }
            assertTrue(line != null, "serve ended before ready: " + lines);
            String issuer = line.substring("ready ".length());
            assertTrue(issuer.matches("https://127\\.0\\.0\\.1:\\d+"), issuer);
            String printed = String.join("\n", lines);
            assertTrue(printed.contains("CA to trust " + dir.resolve("ca.pem")), printed);
            assertTrue(printed.contains("demo user   demo / "), printed);
            assertTrue(printed.contains("demo client demo-client"), printed);
            HTTPResponse discovery = new LocalClient(dir.resolve("ca.pem")).get(issuer + "/.well-known/openid-configuration");
            assertEquals(200, discovery.getStatusCode());
            System.out.printf("serve: process start to first discovery 200 in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        } finally {
            serve.destroy();
            serve.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("client register refuses a JWKS with a private key, an http redirect URI and a fragment")
    void registerValidates() throws Exception {
        Path privateJwks = dir.resolve("private.jwks");
        Files.writeString(privateJwks, new JWKSet(TestKeys.ec()).toString(false));
        Result r = run("client", "register", "--client-id", "c1", "--jwks", privateJwks.toString(),
                "--redirect-uri", "https://c.example/cb", "--scope", "openid", "--state-dir", dir.toString());
        assertEquals(2, r.code, r.output);
        assertTrue(r.output.contains("public keys only"), r.output);

        Path publicJwks = dir.resolve("public.jwks");
        Files.writeString(publicJwks, new JWKSet(TestKeys.ec().toPublicJWK()).toString());
        r = run("client", "register", "--client-id", "c1", "--jwks", publicJwks.toString(),
                "--redirect-uri", "http://c.example/cb", "--scope", "openid", "--state-dir", dir.toString());
        assertEquals(2, r.code, r.output);
        assertTrue(r.output.contains("https"), r.output);

        r = run("client", "register", "--client-id", "c1", "--jwks", publicJwks.toString(),
                "--redirect-uri", "https://c.example/cb#frag", "--scope", "openid", "--state-dir", dir.toString());
        assertEquals(2, r.code, r.output);
        assertTrue(r.output.contains("fragment"), r.output);
    }

    @Test
    @DisplayName("client register then client list shows the client; user add reads the password from standard input")
    void registerListAndAddUser() throws Exception {
        Path jwks = dir.resolve("public.jwks");
        Files.writeString(jwks, new JWKSet(TestKeys.rsa().toPublicJWK()).toString());
        Result r = run("client", "register", "--client-id", "bank-app", "--jwks", jwks.toString(),
                "--redirect-uri", "https://bank.example/cb", "https://bank.example/cb?x=1", "--scope", "openid", "accounts",
                "--dpop-required", "--state-dir", dir.toString());
        assertEquals(0, r.code, r.output);
        r = run("client", "list", "--state-dir", dir.toString());
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("bank-app\tprivate_key_jwt\tdpop-required\thttps://bank.example/cb https://bank.example/cb?x=1"),
                r.output);

        Process add = cli(List.of("user", "add", "--username", "alice", "--state-dir", dir.toString())).start();
        add.getOutputStream().write("correct horse battery\n".getBytes(StandardCharsets.UTF_8));
        add.getOutputStream().close();
        String output = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, add.waitFor(), output);
        assertTrue(output.contains("added user alice"), output);
        assertTrue(!output.contains("correct horse"), "the password is never echoed");
    }

    private record Result(int code, String output) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        Process p = cli(List.of(args)).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }

    private static ProcessBuilder cli(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Cli.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true);
    }
}
