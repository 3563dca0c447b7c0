package dev.fapi2lambda.core.client;

import static dev.fapi2lambda.core.testing.TestCertificates.dns;
import static dev.fapi2lambda.core.testing.TestCertificates.email;
import static dev.fapi2lambda.core.testing.TestCertificates.ip;
import static dev.fapi2lambda.core.testing.TestCertificates.uri;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.client.CertificateRule.Type;
import dev.fapi2lambda.core.testing.TestCertificates;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 8705 2.1.2: the one subject value a tls_client_auth client's certificate must carry, the
 * subject DN (compared as RFC 4517 distinguishedNameMatch) or one SAN of a given type.
 */
class CertificateRuleTest {
    private static final String SUBJECT = "CN=client-a,OU=Payments,O=Example Bank,C=DE";
    private static final TestCertificates.Authority CA = TestCertificates.authority("CN=Rule Test CA,C=DE");
    /** A certificate with the subject and one SAN of every type. */
    private static final X509Certificate FULL = CA.issue(SUBJECT, dns("client.example.test"),
            uri("https://client.example.test/app"), ip("192.0.2.10"), email("client@example.test")).certificate();
    /** A certificate without a subject alternative name extension. */
    private static final X509Certificate NO_SANS = CA.issue("CN=client.example.test,O=Example Bank").certificate();

    private static boolean matches(Type type, String value, X509Certificate certificate) {
        return new CertificateRule(type, value).matches(certificate);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "CN=client-a,OU=Payments,O=Example Bank,C=DE",
            "CN=client-a, OU=Payments, O=Example Bank, C=DE",
            "cn=client-a,ou=Payments,o=Example Bank,c=DE",
            "Cn = client-a , Ou = Payments , o = Example Bank , c = DE",
            "  CN=client-a,OU=Payments,O=Example Bank,C=DE  ",
            "2.5.4.3=client-a,OU=Payments,O=Example Bank,C=DE"})
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_subject_dn: the registered DN matches whatever the spacing and case of the attribute types")
    void subjectDnMatchesRegardlessOfSpacingAndAttributeTypeCase(String registered) {
        assertTrue(matches(Type.SUBJECT_DN, registered, FULL));
    }

    @Test
    @DisplayName("RFC 8705 2.1 / RFC 4517 distinguishedNameMatch: CN, OU and O compare case-insensitively (caseIgnoreMatch)")
    void subjectDnValuesCompareCaseInsensitively() {
        assertTrue(matches(Type.SUBJECT_DN, "CN=CLIENT-A,OU=payments,O=EXAMPLE BANK,C=de", FULL));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "CN=client-b,OU=Payments,O=Example Bank,C=DE",          // another client
            "CN=client-a,OU=Payments,O=Other Bank,C=DE",            // another organisation
            "CN=client-a,OU=Payments,O=Example Bank,C=FR",          // another country
            "CN=client-a,OU=Team,OU=Payments,O=Example Bank,C=DE",  // one RDN more
            "CN=client-a,O=Example Bank,C=DE",                      // one RDN less
            "CN=client-a",                                           // the CN alone
            "C=DE,O=Example Bank,OU=Payments,CN=client-a",           // the RDNs reversed
            "CN=client-a+UID=7,OU=Payments,O=Example Bank,C=DE"})   // a multi-valued RDN
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_subject_dn: a different DN, or one with an RDN more, less or reordered, does not match")
    void otherSubjectDnsDoNotMatch(String registered) {
        assertFalse(matches(Type.SUBJECT_DN, registered, FULL));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"not a dn", "CN", "=client-a", "CN=a,,O=b", "CN=a+", "CN=a,O", "foo=bar"})
    @DisplayName("RFC 8705 2.1.2: a subject DN that is not RFC 4514 syntax is refused when the rule is built")
    void invalidSubjectDnIsRejectedAtConstruction(String registered) {
        assertThrows(IllegalArgumentException.class, () -> new CertificateRule(Type.SUBJECT_DN, registered));
    }

    @Test
    @DisplayName("RFC 8705 2.1.2: SAN rules take any string (only the subject DN is parsed)")
    void sanRulesAreNotParsedAsDn() {
        assertDoesNotThrow(() -> new CertificateRule(Type.SAN_DNS, "not a dn"));
        assertDoesNotThrow(() -> new CertificateRule(Type.SAN_URI, "urn:example:client"));
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    @DisplayName("RFC 8705 2.1.2: an empty or blank registered value is refused for every rule type (it would match a certificate with an empty subject)")
    void blankValueIsRejected(Type type) {
        assertThrows(IllegalArgumentException.class, () -> new CertificateRule(type, ""));
        assertThrows(IllegalArgumentException.class, () -> new CertificateRule(type, "   "));
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth_subject_dn: a rule never matches a certificate with an empty subject")
    void emptySubjectCertificateDoesNotMatchDnRule() {
        X509Certificate emptySubject = CA.issue("", dns("client.example.test")).certificate();
        assertTrue(emptySubject.getSubjectX500Principal().getName().isEmpty());
        assertFalse(matches(Type.SUBJECT_DN, SUBJECT, emptySubject));
        assertTrue(matches(Type.SAN_DNS, "client.example.test", emptySubject), "its SAN still matches a SAN rule");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"client.example.test", "CLIENT.Example.TEST", "Client.Example.Test"})
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_san_dns: the dNSName matches case-insensitively")
    void sanDnsMatchesCaseInsensitively(String registered) {
        assertTrue(matches(Type.SAN_DNS, registered, FULL));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"other.example.test", "example.test", "client.example.test.evil", "*.example.test", "client"})
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_san_dns: another name, a parent, a suffix or a wildcard does not match")
    void otherSanDnsDoesNotMatch(String registered) {
        assertFalse(matches(Type.SAN_DNS, registered, FULL));
    }

    @Test
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_san_uri: the uniformResourceIdentifier matches exactly, another path or a prefix does not")
    void sanUriMatchesExactly() {
        assertTrue(matches(Type.SAN_URI, "https://client.example.test/app", FULL));
        assertFalse(matches(Type.SAN_URI, "https://client.example.test/other", FULL));
        assertFalse(matches(Type.SAN_URI, "https://client.example.test/", FULL));
        assertFalse(matches(Type.SAN_URI, "https://client.example.test/app/more", FULL));
    }

    @Test
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_san_ip: the IPv4 iPAddress matches, another address does not")
    void sanIpv4Matches() {
        assertTrue(matches(Type.SAN_IP, "192.0.2.10", FULL));
        assertFalse(matches(Type.SAN_IP, "192.0.2.11", FULL));
        assertFalse(matches(Type.SAN_IP, "192.0.2.1", FULL));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"2001:db8::1", "2001:DB8::1", "2001:db8:0:0:0:0:0:1", "2001:0db8:0000:0000:0000:0000:0000:0001"})
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_san_ip: an IPv6 address registered in RFC 5952 form (or any other spelling) matches the iPAddress")
    void sanIpv6MatchesAnySpelling(String registered) {
        X509Certificate v6 = CA.issue("CN=v6 client", ip("2001:db8::1")).certificate();
        assertTrue(matches(Type.SAN_IP, registered, v6));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"2001:db8::2", "2001:db8::1:0", "192.0.2.1", "::1", "::ffff:192.0.2.1"})
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_san_ip: another IPv6 address, an IPv4 address or a name does not match an IPv6 iPAddress")
    void otherIpDoesNotMatchIpv6(String registered) {
        X509Certificate v6 = CA.issue("CN=v6 client", ip("2001:db8::1")).certificate();
        assertFalse(matches(Type.SAN_IP, registered, v6));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"client.example.test", "localhost", "192.0.2", "192.0.2.256", "192.0.2.1.5", "2001:db8::1::2",
            "2001:db8::zz", "fe80::1%eth0", "[2001:db8::1]", "1:2:3:4:5:6:7:8:9"})
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_san_ip: a value that is not an IPv4 or IPv6 address is refused when the rule is built")
    void sanIpMustBeAnAddress(String registered) {
        assertThrows(IllegalArgumentException.class, () -> new CertificateRule(Type.SAN_IP, registered));
    }

    @Test
    @DisplayName("RFC 8705 2.1.2 tls_client_auth_san_email: the rfc822Name matches, case-insensitively; another address does not")
    void sanEmailMatches() {
        assertTrue(matches(Type.SAN_EMAIL, "client@example.test", FULL));
        assertTrue(matches(Type.SAN_EMAIL, "Client@Example.TEST", FULL));
        assertFalse(matches(Type.SAN_EMAIL, "other@example.test", FULL));
        assertFalse(matches(Type.SAN_EMAIL, "example.test", FULL));
    }

    static Stream<Arguments> sanTypes() {
        return Stream.of(
                Arguments.of(Type.SAN_DNS, dns("192.0.2.7")),
                Arguments.of(Type.SAN_IP, ip("192.0.2.7")),
                Arguments.of(Type.SAN_EMAIL, email("192.0.2.7")));
    }

    @ParameterizedTest(name = "[{index}] a certificate with only a {0} SAN")
    @MethodSource("sanTypes")
    @DisplayName("RFC 8705 2.1.2: a SAN value matches only a rule of its own SAN type (the same text in a SAN of another type does not)")
    void sanMatchesOnlyItsOwnType(Type carried, TestCertificates.San san) {
        X509Certificate certificate = CA.issue("CN=192.0.2.7", san).certificate();
        for (Type type : Type.values()) {
            if (type == Type.SUBJECT_DN) {
                assertFalse(matches(type, "CN=other", certificate));
                continue;
            }
            assertEquals(type == carried, matches(type, "192.0.2.7", certificate),
                    () -> type + " rule against a certificate carrying only a " + carried + " SAN");
        }
    }

    @Test
    @DisplayName("RFC 8705 2.1.2: a uniformResourceIdentifier SAN matches only a tls_client_auth_san_uri rule")
    void uriSanMatchesOnlyUriRule() {
        X509Certificate certificate = CA.issue("CN=client", uri("https://192.0.2.7")).certificate();
        assertTrue(matches(Type.SAN_URI, "https://192.0.2.7", certificate));
        assertFalse(matches(Type.SAN_URI, "192.0.2.7", certificate));
        assertFalse(matches(Type.SAN_DNS, "https://192.0.2.7", certificate));
        assertFalse(matches(Type.SAN_DNS, "192.0.2.7", certificate));
        assertFalse(matches(Type.SAN_EMAIL, "https://192.0.2.7", certificate));
        assertFalse(matches(Type.SAN_IP, "192.0.2.7", certificate));
    }

    @Test
    @DisplayName("RFC 8705 2.1.2: the subject DN's text never satisfies a SAN rule, nor a SAN the subject DN rule")
    void subjectAndSansAreSeparate() {
        assertFalse(matches(Type.SAN_DNS, "client-a", FULL), "CN is not a dNSName");
        assertFalse(matches(Type.SAN_EMAIL, SUBJECT, FULL));
        X509Certificate cnOnly = CA.issue("CN=client.example.test", uri("https://client.example.test/app")).certificate();
        assertFalse(matches(Type.SAN_DNS, "client.example.test", cnOnly), "a CN holding a host name is not a dNSName SAN");
        assertFalse(matches(Type.SUBJECT_DN, "CN=client.example.test,O=Other", cnOnly));
    }

    @ParameterizedTest
    @EnumSource(value = Type.class, names = {"SAN_DNS", "SAN_URI", "SAN_IP", "SAN_EMAIL"})
    @DisplayName("RFC 8705 2.1.2: a certificate without subject alternative names never matches a SAN rule")
    void certificateWithoutSansNeverMatchesSanRule(Type type) {
        assertTrue(NO_SANS.getExtensionValue("2.5.29.17") == null);
        for (String value : new String[] {"client.example.test", "https://client.example.test/app", "192.0.2.10",
                "2001:db8::1", "client@example.test", "CN=client.example.test,O=Example Bank"}) {
            if (type == Type.SAN_IP && !value.matches("[0-9a-f.:]+")) {
                continue; // not an address: refused at construction (sanIpMustBeAnAddress)
            }
            assertFalse(matches(type, value, NO_SANS), () -> type + " " + value);
        }
        assertTrue(matches(Type.SUBJECT_DN, "CN=client.example.test,O=Example Bank", NO_SANS), "its subject still matches");
    }

    @Test
    @DisplayName("RFC 8705 2.1.2: each rule type is named by its client registration metadata parameter")
    void typesAreNamedByMetadata() {
        assertEquals(Optional.of(Type.SUBJECT_DN), Type.of("tls_client_auth_subject_dn"));
        assertEquals(Optional.of(Type.SAN_DNS), Type.of("tls_client_auth_san_dns"));
        assertEquals(Optional.of(Type.SAN_URI), Type.of("tls_client_auth_san_uri"));
        assertEquals(Optional.of(Type.SAN_IP), Type.of("tls_client_auth_san_ip"));
        assertEquals(Optional.of(Type.SAN_EMAIL), Type.of("tls_client_auth_san_email"));
        assertEquals(Optional.empty(), Type.of("tls_client_auth_san_DNS"));
        assertEquals(Optional.empty(), Type.of("subject_dn"));
    }
}
