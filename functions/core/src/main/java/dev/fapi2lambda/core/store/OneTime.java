package dev.fapi2lambda.core.store;

import dev.fapi2lambda.core.error.OAuthException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The one-time guards of a request (the jti of its client assertion, of its DPoP proof), committed
 * together with the request's own writes in one all-or-nothing write: a request either is accepted
 * and uses its jtis up, or is refused. A guard is written only once everything that might ask the
 * client to retry the very same request (a DPoP nonce) is settled.
 */
public final class OneTime {
    /** A guard item (put if absent) and the error a reuse earns. */
    public record Guard(Item item, Supplier<OAuthException> reused) {
    }

    private final ItemStore store;
    private final List<Guard> guards;
    private boolean settled;

    private OneTime(ItemStore store, List<Guard> guards) {
        this.store = store;
        this.guards = List.copyOf(guards);
    }

    @SafeVarargs
    public static OneTime of(ItemStore store, Optional<Guard>... guards) {
        List<Guard> present = new ArrayList<>();
        for (Optional<Guard> guard : guards) {
            guard.ifPresent(present::add);
        }
        return new OneTime(store, present);
    }

    /**
     * Writes the guards and {@code writes} at once. A reused guard throws its error (the first in the
     * order given); otherwise the answer is empty when everything was written, or the index within
     * {@code writes} of a write whose condition failed (then nothing was written).
     */
    public OptionalInt commitWith(List<Write> writes, Instant now) {
        List<Write> all = new ArrayList<>();
        guards.forEach(g -> all.add(Write.putIfAbsent(g.item())));
        all.addAll(writes);
        OptionalInt failed = all.size() == 1 ? single(store, all.get(0), now) : store.transact(all, now);
        if (failed.isEmpty()) {
            settled = true;
            return failed;
        }
        int index = failed.getAsInt();
        if (index < guards.size()) {
            settled = true;
            throw guards.get(index).reused().get();
        }
        return OptionalInt.of(index - guards.size());
    }

    /**
     * Writes the guards alone, unless they were settled already: a request refused before its own
     * writes (or whose writes failed) still uses its jtis up, as if it had been accepted.
     */
    public void commit(Instant now) {
        if (settled) {
            return;
        }
        settled = true;
        for (Guard guard : guards) {
            if (!store.putIfAbsent(guard.item(), now)) {
                throw guard.reused().get();
            }
        }
    }

    /** One write needs no transaction (which costs DynamoDB twice the write capacity). */
    private static OptionalInt single(ItemStore store, Write write, Instant now) {
        boolean written;
        if (write instanceof Write.Put p) {
            store.put(p.item());
            written = true;
        } else if (write instanceof Write.PutIfAbsent p) {
            written = store.putIfAbsent(p.item(), now);
        } else {
            written = store.change(((Write.Apply) write).change(), now).isPresent();
        }
        return written ? OptionalInt.empty() : OptionalInt.of(0);
    }
}
