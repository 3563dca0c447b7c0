package dev.fapi2lambda.core.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Work a request starts beside its own, such as a read or a signature that waits on the network
 * while the request's thread does something else. The threads are daemons, made when needed and
 * dropped after a minute idle: a Lambda container, which serves one request at a time, keeps one or
 * two. The common fork-join pool is not used, because this work blocks.
 */
public final class Beside {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "beside-" + COUNT.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private Beside() {
    }

    public static <T> CompletableFuture<T> start(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, THREADS);
    }

    /**
     * Waits for the work to end, however it ends, when the request is given up for another reason:
     * nothing the request started goes on after its answer (in Lambda it would be frozen mid-call
     * and resumed in a later invocation).
     */
    public static void settle(CompletableFuture<?> future) {
        future.handle((value, failure) -> null).join();
    }

    /** Waits for the work, and throws what it threw as it was thrown. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
