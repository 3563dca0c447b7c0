package dev.fapi2lambda.core.dpop;

import java.time.Instant;
import java.util.Optional;

/**
 * Server-provided DPoP nonces (RFC 9449 8, 9; FAPI 2.0 SP 5.3.2.2 asks servers to use them). The
 * validator asks this port whether a proof's nonce is acceptable and, if not, which nonce to
 * send back in {@code DPoP-Nonce}.
 */
public interface DpopNonces {

    /** No nonce required: proofs are accepted with or without one. */
    DpopNonces NOT_REQUIRED = new DpopNonces() {
        @Override
        public Optional<String> challenge(Optional<String> nonce, Instant now) {
            return Optional.empty();
        }

        @Override
        public Optional<String> current(Instant now) {
            return Optional.empty();
        }
    };

    /** Empty if the proof's nonce is acceptable; otherwise the nonce the client must use. */
    Optional<String> challenge(Optional<String> proofNonce, Instant now);

    /** The nonce to send with successful responses, if nonces are in use. */
    Optional<String> current(Instant now);
}
