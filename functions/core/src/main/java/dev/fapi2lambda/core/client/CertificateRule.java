package dev.fapi2lambda.core.client;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * RFC 8705 2.1.2: the one value a tls_client_auth client's certificate must carry, the subject
 * DN or one subject alternative name of a given type.
 *
 * @param type  which field is compared
 * @param value the registered value
 */
public record CertificateRule(Type type, String value) {

    /** The registration metadata names of RFC 8705 2.1.2 and the SAN type numbers of RFC 5280 4.2.1.6. */
    public enum Type {
        SUBJECT_DN("tls_client_auth_subject_dn", -1),
        SAN_DNS("tls_client_auth_san_dns", 2),
        SAN_URI("tls_client_auth_san_uri", 6),
        SAN_IP("tls_client_auth_san_ip", 7),
        SAN_EMAIL("tls_client_auth_san_email", 1);

        private final String metadata;
        private final int sanType;

        Type(String metadata, int sanType) {
            this.metadata = metadata;
            this.sanType = sanType;
        }

        public String metadata() {
            return metadata;
        }

        public static Optional<Type> of(String metadata) {
            return Arrays.stream(values()).filter(t -> t.metadata.equals(metadata)).findFirst();
        }
    }

    public CertificateRule {
        if (type == Type.SUBJECT_DN) {
            new X500Principal(value); // RFC 4514 syntax, or IllegalArgumentException
        }
    }

    /**
     * Whether the certificate carries the value. Subject DNs compare as X.500 names (RFC 4517
     * distinguishedNameMatch via X500Principal's canonical form), SANs exactly (DNS and email
     * case-insensitively).
     */
    public boolean matches(X509Certificate certificate) {
        if (type == Type.SUBJECT_DN) {
            return new X500Principal(value).equals(certificate.getSubjectX500Principal());
        }
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            return names.stream().anyMatch(n -> ((Integer) n.get(0)) == type.sanType && equalsValue(String.valueOf(n.get(1))));
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private boolean equalsValue(String san) {
        return type == Type.SAN_DNS || type == Type.SAN_EMAIL ? san.equalsIgnoreCase(value) : san.equals(value);
    }
}
