package dev.fapi2lambda.local;

import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.ClientRepository;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What the local mTLS port accepts in the handshake, as API Gateway's truststore would: a
 * certificate from the local CA, or a certificate whose key is registered by a
 * self_signed_tls_client_auth client (read from the table at each handshake, so a client
 * registered while the server runs works at once). Which client it is, and whether its method
 * fits, is decided by the core afterwards.
 */
final class MtlsTrust implements X509TrustManager {
    private final X509TrustManager localCa;
    private final ClientRepository clients;

    MtlsTrust(X509Certificate ca, ClientRepository clients) throws GeneralSecurityException, java.io.IOException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("local-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        this.localCa = (X509TrustManager) tmf.getTrustManagers()[0];
        this.clients = clients;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            localCa.checkClientTrusted(chain, authType);
            return;
        } catch (CertificateException notFromTheCa) {
            // maybe a registered self-signed certificate
        }
        X509Certificate leaf = chain[0];
        leaf.checkValidity(new Date());
        byte[] key = leaf.getPublicKey().getEncoded();
        boolean registered = clients.list().stream()
                .filter(c -> c.authMethod() == AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH)
                .flatMap(c -> c.jwks().getKeys().stream())
                .anyMatch(jwk -> Arrays.equals(key, encoded(jwk)));
        if (!registered) {
            throw new CertificateException("the client certificate is neither from the local CA nor a registered self-signed one");
        }
    }

    private static byte[] encoded(com.nimbusds.jose.jwk.JWK jwk) {
        try {
            PublicKey key = jwk instanceof com.nimbusds.jose.jwk.RSAKey rsa ? rsa.toPublicKey()
                    : ((com.nimbusds.jose.jwk.ECKey) jwk).toPublicKey();
            return key.getEncoded();
        } catch (com.nimbusds.jose.JOSEException | ClassCastException e) {
            return new byte[0];
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server does not check server certificates");
    }

    /** No issuer list: clients then send whatever certificate they hold, self-signed ones included. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
