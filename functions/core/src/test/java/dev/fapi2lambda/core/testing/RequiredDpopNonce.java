package dev.fapi2lambda.core.testing;

import dev.fapi2lambda.core.dpop.DpopNonces;
import java.time.Instant;
import java.util.Optional;

/** A fake nonce source that requires one fixed nonce on every DPoP proof. */
public final class RequiredDpopNonce implements DpopNonces {
    private final String nonce;

    public RequiredDpopNonce(String nonce) {
        this.nonce = nonce;
    }

    @Override
    public Optional<String> challenge(Optional<String> proofNonce, Instant now) {
        return proofNonce.filter(nonce::equals).isPresent() ? Optional.empty() : Optional.of(nonce);
    }

    @Override
    public Optional<String> current(Instant now) {
        return Optional.of(nonce);
    }
}
