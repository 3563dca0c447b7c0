package dev.fapi2lambda.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * DynamoDB Local as its own server process (ServerRunner -inMemory), so that every client of it,
 * the functions' in a fresh JVM included, is a real SDK client over HTTP. It listens on all
 * interfaces (it has no bind option); only this machine's benchmarks talk to it, and it is
 * stopped when the benchmark ends.
 */
final class DynamoLocalProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private DynamoLocalProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static DynamoLocalProcess start(Path logFile) throws IOException, InterruptedException {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xshare:auto", "-cp", BenchHome.libClassPath(),
                "com.amazonaws.services.dynamodbv2.local.main.ServerRunner", "-inMemory", "-port", String.valueOf(port),
                "-disableTelemetry"));
        builder.redirectErrorStream(true).redirectOutput(logFile.toFile());
        Process process = builder.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("DynamoDB Local exited with " + process.exitValue() + "; see " + logFile);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new DynamoLocalProcess(process, port);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroy();
        throw new IOException("DynamoDB Local did not listen on " + port + " within 30 s; see " + logFile);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
