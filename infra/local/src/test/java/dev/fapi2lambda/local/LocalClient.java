package dev.fapi2lambda.local;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** HTTPS to the local server as an outside client does it: trusting only the generated CA file. */
final class LocalClient {
    final SSLContext tls;

    LocalClient(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("local-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
    }

    SSLSocketFactory sockets() {
        return tls.getSocketFactory();
    }

    HTTPResponse send(HTTPRequest request) throws IOException {
        request.setSSLSocketFactory(sockets());
        return request.send();
    }

    HTTPResponse get(String url) throws IOException {
        return send(new HTTPRequest(HTTPRequest.Method.GET, URI.create(url)));
    }

    HTTPResponse post(String url, String contentType, String body) throws IOException {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, toUrl(url));
        if (contentType != null) {
            request.setHeader("Content-Type", contentType);
        }
        request.setBody(body);
        return send(request);
    }

    private static URL toUrl(String url) throws IOException {
        return URI.create(url).toURL();
    }
}
