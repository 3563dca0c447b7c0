package dev.fapi2lambda.core.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Clients as items {@code client#<client_id>}: no expiry, written by the admin commands. A
 * container may remember clients it has read for {@code cacheFor} (Lambda: 30 s), which takes a
 * read off nearly every request; a newly registered client is seen at once (misses are never
 * remembered), a changed or deleted one within {@code cacheFor}.
 */
public final class ClientRepository {
    private static final String PREFIX = "client#";
    private final ItemStore store;
    private final Duration cacheFor;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Client client, Instant until) {
    }

    public ClientRepository(ItemStore store) {
        this(store, Duration.ZERO);
    }

    public ClientRepository(ItemStore store, Duration cacheFor) {
        this.store = store;
        this.cacheFor = cacheFor;
    }

    public Optional<Client> find(String clientId, Instant now) {
        Cached cached = cache.get(clientId);
        if (cached != null && now.isBefore(cached.until())) {
            return Optional.of(cached.client());
        }
        Optional<Client> client = store.get(PREFIX + clientId, now).map(ClientRepository::fromItem);
        if (!cacheFor.isZero()) {
            client.ifPresentOrElse(c -> cache.put(clientId, new Cached(c, now.plus(cacheFor))), () -> cache.remove(clientId));
        }
        return client;
    }

    public void save(Client client) {
        store.put(Item.of(PREFIX + client.clientId())
                .put("clientId", client.clientId())
                .put("authMethod", client.authMethod().value())
                .put("jwks", client.jwks().toString(true))
                .put("redirectUris", client.redirectUris())
                .put("scopes", List.copyOf(client.scopes()))
                .put("dpopRequired", client.dpopRequired())
                .put("idTokenAlg", client.idTokenAlg().getName())
                .put("certificateRuleType", client.certificateRule().map(r -> r.type().metadata()))
                .put("certificateRule", client.certificateRule().map(CertificateRule::value))
                .put("certificateBoundTokens", client.certificateBoundTokens())
                .put("resourceServer", client.resourceServer())
                .build());
    }

    public List<Client> list() {
        return store.list(PREFIX).stream().map(ClientRepository::fromItem).toList();
    }

    private static Client fromItem(Item item) {
        try {
            return new Client(item.required("clientId"),
                    AuthMethod.of(item.required("authMethod")).orElseThrow(),
                    JWKSet.parse(item.required("jwks")),
                    item.strings("redirectUris"),
                    new HashSet<>(item.strings("scopes")),
                    item.flag("dpopRequired"),
                    JWSAlgorithm.parse(item.string("idTokenAlg").orElse("PS256")),
                    item.string("certificateRuleType").flatMap(CertificateRule.Type::of)
                            .map(type -> new CertificateRule(type, item.required("certificateRule"))),
                    item.flag("certificateBoundTokens"),
                    item.flag("resourceServer"));
        } catch (ParseException e) {
            throw new IllegalStateException("stored client " + item.pk() + " has an unreadable JWKS", e);
        }
    }
}
