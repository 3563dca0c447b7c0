package dev.fapi2lambda.aws;

import static dev.fapi2lambda.aws.SampleEvents.AT;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.WindowedDpopNonces;
import dev.fapi2lambda.core.par.AuthorizationRequest;
import dev.fapi2lambda.core.par.PushedRequests;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.token.AuthorizationCode;
import dev.fapi2lambda.core.token.AuthorizationCodes;
import dev.fapi2lambda.core.token.Grant;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.user.PasswordHasher;
import dev.fapi2lambda.core.user.User;
import dev.fapi2lambda.core.user.UserRepository;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each sample event expects to find in the table, written through the production
 * repositories (so the items are laid out exactly as the functions write them), with the fixed
 * values of {@link SampleEvents} where the functions would draw random ones.
 */
final class SampleTable {
    private SampleTable() {
    }

    /** Both sample clients: the private_key_jwt + DPoP client and the self-signed mTLS client. */
    static void clients(ItemStore store) {
        ClientRepository clients = new ClientRepository(store);
        Set<String> scopes = Set.of("openid", "profile", "email", "accounts", "offline_access");
        clients.save(new Client(SampleEvents.CLIENT_ID, AuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(SampleEvents.clientKey().toPublicJWK()), List.of(SampleEvents.REDIRECT_URI), scopes, true));
        clients.save(new Client(SampleEvents.MTLS_CLIENT_ID, AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH,
                new JWKSet(SampleEvents.clientCertKey()), List.of(SampleEvents.REDIRECT_URI), scopes, false,
                JWSAlgorithm.PS256, Optional.empty(), true));
    }

    /**
     * The server's DPoP nonce for the window of {@link SampleEvents#AT}, item dpopnonce#window,
     * written by the production WindowedDpopNonces as the first container to need it would.
     */
    static void dpopNonce(ItemStore store) {
        new WindowedDpopNonces(store, fixed(SampleEvents.DPOP_NONCE), Duration.ofSeconds(60)).current(AT);
    }

    /** The end-user alice (password hashed with few iterations: the hash records its own cost). */
    static void user(ItemStore store) {
        String hash = new PasswordHasher(new SecureRandom(), 1_000).hash(SampleEvents.PASSWORD.toCharArray());
        new UserRepository(store).save(new User(SampleEvents.USERNAME, hash, Map.of(
                "name", "Alice Example", "given_name", "Alice", "family_name", "Example",
                "email", "alice@example.com", "email_verified", "true")));
    }

    /** The request PAR stored under {@link SampleEvents#REQUEST_URI}, bound to the DPoP key, not yet started. */
    static void pushedRequest(ItemStore store) {
        store.transact(List.of(new PushedRequests(store).toSave(SampleEvents.REQUEST_URI, new AuthorizationRequest(SampleEvents.CLIENT_ID,
                SampleEvents.REDIRECT_URI, SampleEvents.SCOPES, SampleEvents.CODE_CHALLENGE,
                Optional.of(SampleEvents.STATE), Optional.of(SampleEvents.OIDC_NONCE), Optional.of(SampleEvents.dpopJkt()),
                Optional.empty(), Optional.empty(), Optional.empty()), AT.plusSeconds(60))), AT);
    }

    /**
     * The pushed request after GET /authorize in the sample browser: bound to its interaction
     * cookie, and the login form it shows carries {@link SampleEvents#CSRF}.
     */
    static void startedRequest(ItemStore store) {
        pushedRequest(store);
        PushedRequests requests = new PushedRequests(store);
        String interaction = Hashes.sha256Url(SampleEvents.INTERACTION_ID);
        Instant started = AT.minusSeconds(15);
        if (requests.begin(SampleEvents.REQUEST_URI, SampleEvents.CLIENT_ID, interaction, Hashes.sha256Url(SampleEvents.CSRF),
                Optional.empty(), started.plus(Duration.ofMinutes(10)), started).isEmpty()) {
            throw new IllegalStateException("the sample pushed request could not be started");
        }
    }

    /** The code of token.json, issued by the production AuthorizationCodes a few seconds before {@code AT}. */
    static void code(ItemStore store) {
        new AuthorizationCodes(store, fixed(SampleEvents.CODE.split("[.]"))).issue(new AuthorizationCode(SampleEvents.CLIENT_ID,
                SampleEvents.REDIRECT_URI, SampleEvents.SCOPES, SampleEvents.CODE_CHALLENGE,
                Optional.of(SampleEvents.OIDC_NONCE), SampleEvents.USERNAME, SampleEvents.AUTH_TIME,
                Optional.of(SampleEvents.dpopJkt()), SampleEvents.GRANT_ID), AT.plusSeconds(50));
    }

    /** The code of token-mtls.json: the mTLS client's, bound to no DPoP key. */
    static void mtlsCode(ItemStore store) {
        new AuthorizationCodes(store, fixed(SampleEvents.MTLS_CODE.split("[.]"))).issue(new AuthorizationCode(SampleEvents.MTLS_CLIENT_ID,
                SampleEvents.REDIRECT_URI, SampleEvents.SCOPES, SampleEvents.CODE_CHALLENGE,
                Optional.of(SampleEvents.OIDC_NONCE), SampleEvents.USERNAME, SampleEvents.AUTH_TIME,
                Optional.empty(), SampleEvents.MTLS_GRANT_ID), AT.plusSeconds(50));
    }

    /** The grant of token-refresh.json and userinfo.json: DPoP-bound, its refresh token {@link SampleEvents#REFRESH_TOKEN}. */
    static void grant(ItemStore store) {
        create(store, new Grant(SampleEvents.GRANT_ID, SampleEvents.CLIENT_ID, SampleEvents.USERNAME, SampleEvents.SCOPES,
                SampleEvents.AUTH_TIME, Optional.of(SampleEvents.dpopJkt()), Optional.empty(),
                Hashes.sha256Url(SampleEvents.REFRESH_TOKEN), false, AT.plus(Duration.ofDays(30))));
    }

    /** The grant of userinfo-mtls.json: bound to the client certificate. */
    static void mtlsGrant(ItemStore store) {
        create(store, new Grant(SampleEvents.MTLS_GRANT_ID, SampleEvents.MTLS_CLIENT_ID, SampleEvents.USERNAME,
                SampleEvents.SCOPES, SampleEvents.AUTH_TIME, Optional.empty(), Optional.of(SampleEvents.clientCertThumbprint()),
                Hashes.sha256Url(SampleEvents.MTLS_GRANT_ID + ".sample"), false, AT.plus(Duration.ofDays(30))));
    }

    private static void create(ItemStore store, Grant grant) {
        if (store.transact(List.of(new Grants(store).create(grant)), AT.minusSeconds(10)).isPresent()) {
            throw new IllegalStateException("grant " + grant.id() + " exists already");
        }
    }

    /** Everything every sample event needs, in one table (the events do not collide). */
    static void everything(ItemStore store) {
        clients(store);
        dpopNonce(store);
        user(store);
        startedRequest(store);
        code(store);
        mtlsCode(store);
        grant(store);
        mtlsGrant(store);
    }

    /** Secrets that hand out the given values (base64url of 32 bytes), in order, where the server draws random ones. */
    static Secrets fixed(String... values) {
        Deque<byte[]> queue = new ArrayDeque<>();
        for (String value : values) {
            byte[] bytes = new Base64URL(value).decode();
            if (bytes.length != Secrets.BYTES || !Base64URL.encode(bytes).toString().equals(value)) {
                throw new IllegalArgumentException(value + " is not the base64url of " + Secrets.BYTES + " bytes");
            }
            queue.add(bytes);
        }
        return new Secrets(new SecureRandom() {
            @Override
            public synchronized void nextBytes(byte[] bytes) {
                byte[] next = queue.poll();
                if (next == null || next.length != bytes.length) {
                    throw new IllegalStateException("no fixed value left for this draw");
                }
                System.arraycopy(next, 0, bytes, 0, bytes.length);
            }
        });
    }
}
