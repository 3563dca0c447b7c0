package dev.fapi2lambda.aws;

import dev.fapi2lambda.aws.Priming.Part;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Security;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run by PrimingTest in a fresh JVM: before anything else, a SecureRandom provider that counts is
 * put first (so {@code new SecureRandom()}, UUIDs and the usual algorithm names land on it) and a
 * proxy selector that counts every connection URLConnection would open. Then every part is primed,
 * in the background and for a checkpoint, and the counts are printed. Last, one draw proves that the
 * detector sees draws.
 */
final class PrimingIsolationCheck {
    static final AtomicInteger INSTANCES = new AtomicInteger();
    static final AtomicInteger DRAWS = new AtomicInteger();
    static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private PrimingIsolationCheck() {
    }

    public static void main(String[] args) throws Exception {
        Security.insertProviderAt(new CountingProvider(), 1);
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                CONNECTIONS.incrementAndGet();
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
            }
        });
        boolean ok = Priming.prime(EnumSet.allOf(Part.class));
        Priming.start(EnumSet.allOf(Part.class));
        ok &= Priming.primeForCheckpoint();
        int instances = INSTANCES.get();
        int draws = DRAWS.get();
        new SecureRandom().nextBytes(new byte[8]);
        System.out.println("RESULT ok=" + ok + " secureRandoms=" + instances + " draws=" + draws + " connections="
                + CONNECTIONS.get() + " detector=" + (INSTANCES.get() - instances) + "/" + (DRAWS.get() - draws));
        System.exit(0);
    }

    /** SecureRandom under the names the JDK and libraries ask for, counting instances and draws. */
    static final class CountingProvider extends Provider {
        private static final long serialVersionUID = 1L;

        CountingProvider() {
            super("CountingRandom", "1", "counts SecureRandom use");
            for (String name : List.of("NativePRNG", "NativePRNGNonBlocking", "NativePRNGBlocking", "DRBG", "SHA1PRNG")) {
                putService(new Service(this, "SecureRandom", name, CountingRandom.class.getName(), null, null) {
                    @Override
                    public Object newInstance(Object parameter) {
                        INSTANCES.incrementAndGet();
                        if (System.getenv("PRIMING_CHECK_TRACE") != null) {
                            new Throwable("SecureRandom instance").printStackTrace(System.out);
                        }
                        return new CountingRandom();
                    }
                });
            }
        }
    }

    static final class CountingRandom extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final SecureRandom delegate;

        CountingRandom() {
            try {
                delegate = SecureRandom.getInstance("SHA1PRNG", "SUN");
            } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            DRAWS.incrementAndGet();
            delegate.setSeed(seed);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            DRAWS.incrementAndGet();
            delegate.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            DRAWS.incrementAndGet();
            return delegate.generateSeed(numBytes);
        }
    }
}
