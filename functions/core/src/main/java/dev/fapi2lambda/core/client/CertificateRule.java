package dev.fapi2lambda.core.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
        if (type == null || value == null || value.isBlank()) {
            // An empty subject DN would match every certificate with an empty subject (SAN-only certificates).
            throw new IllegalArgumentException("a certificate rule needs a type and a non-empty value");
        }
        if (type == Type.SUBJECT_DN) {
            new X500Principal(value); // RFC 4514 syntax, or IllegalArgumentException
        }
        if (type == Type.SAN_IP && ipOctets(value).isEmpty()) {
            throw new IllegalArgumentException("tls_client_auth_san_ip must be an IPv4 or IPv6 address: " + value);
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
        if (type == Type.SAN_IP) {
            // RFC 8705 2.1.2: IPv6 is registered as RFC 5952 text ("2001:db8::1"), the JDK renders the
            // certificate's octets uncompressed ("2001:db8:0:0:0:0:0:1"): compare the octets.
            return ipOctets(san).map(octets -> Arrays.equals(octets, ipOctets(value).orElseThrow())).orElse(false);
        }
        return type == Type.SAN_DNS || type == Type.SAN_EMAIL ? san.equalsIgnoreCase(value) : san.equals(value);
    }

    private static final String IPV4_OCTET = "(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])";
    private static final String IPV4 = IPV4_OCTET + "(\\." + IPV4_OCTET + "){3}";

    /**
     * The octets of an IPv4 (dotted decimal) or IPv6 (RFC 4291 2.2) literal. Only strings of
     * literal syntax reach InetAddress, which parses those without a DNS lookup.
     */
    static Optional<byte[]> ipOctets(String text) {
        if (!text.matches(IPV4) && !(text.contains(":") && text.matches("[0-9A-Fa-f:.]+"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
