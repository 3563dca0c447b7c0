package dev.fapi2lambda.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.fapi2lambda.core.keys.JwkKeyService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;

/**
 * The local key service: the same port as KMS, over one PS256 (RSA 3072) and one ES256 (P-256)
 * key generated on first start and kept in the state folder (keys.jwks, owner-only).
 */
final class LocalKeys {
    private LocalKeys() {
    }

    static JwkKeyService loadOrCreate(StateDir state) throws IOException {
        Path file = state.file("keys.jwks");
        try {
            if (Files.exists(file)) {
                return new JwkKeyService(JWKSet.parse(Files.readString(file)).getKeys());
            }
            List<JWK> keys = List.of(
                    new RSAKeyGenerator(3072).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.PS256)
                            .keyIDFromThumbprint(true).generate(),
                    new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                            .keyIDFromThumbprint(true).generate());
            state.writeSecret("keys.jwks", new JWKSet(keys).toString(false));
            return new JwkKeyService(keys);
        } catch (ParseException | JOSEException e) {
            throw new IOException("the key file " + file + " is unusable", e);
        }
    }
}
