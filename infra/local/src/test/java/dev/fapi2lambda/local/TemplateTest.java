package dev.fapi2lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fapi2lambda.aws.Components;
import dev.fapi2lambda.aws.GatewayResponses;
import dev.fapi2lambda.aws.Routes;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.keys.JwkKeyService;
import dev.fapi2lambda.core.keys.KeyService;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.testing.InMemoryItemStore;
import dev.fapi2lambda.core.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.Constructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * template.yaml (AWS SAM) against the code it deploys: handlers that exist in the deployment jar,
 * every environment variable Environment.java reads, the routes of {@link Routes}, the table's TTL,
 * PITR and encryption, least-privilege IAM, SnapStart, and the TLS settings of both custom domains.
 * Runs after functions/aws is packaged (the reactor builds it first).
 */
class TemplateTest {
    private static final String AWS_SOURCES = "functions/aws/src/main/java/dev/fapi2lambda/aws/";
    private static final String ENVIRONMENT_SOURCE = AWS_SOURCES + "Environment.java";
    private static final String AUTHORIZER_SOURCE = AWS_SOURCES + "AuthorizerDefault.java";
    private static final String AUTHORIZER = "DpopAuthorizerFunction";
    private static final String ACCOUNTS = "AccountsFunction";

    private static Path root;
    private static Map<String, Object> template;

    @BeforeAll
    static void load() throws IOException {
        root = repositoryRoot();
        template = parse(Files.readString(root.resolve("template.yaml")));
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("(a) every Handler is a class in the built deployment jar that implements RequestStreamHandler")
    void handlersExistInTheDeploymentJar() throws Exception {
        Map<String, Map<String, Object>> functions = functions();
        Set<String> expected = new TreeSet<>(List.of(AUTHORIZER, ACCOUNTS));
        routes().values().forEach(type -> expected.add(type.substring(type.lastIndexOf('.') + 1)));
        assertEquals(expected, functions.keySet(), "one function per class of Routes, the authorizer and the sample API");
        Set<String> codeUris = new TreeSet<>();
        functions.values().forEach(f -> codeUris.add(string(effective(f, "CodeUri"))));
        assertEquals(Set.of("functions/aws/target/fapi2-aws-0.1.0-SNAPSHOT-lambda.jar"), codeUris, "one deployment jar");
        Path jar = root.resolve(codeUris.iterator().next());
        assertTrue(Files.isRegularFile(jar), jar + " is missing: package functions/aws first (mvn -DskipTests install)");

        try (ZipFile zip = new ZipFile(jar.toFile());
             URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, loader);
            Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
            for (Map.Entry<String, Map<String, Object>> function : functions.entrySet()) {
                String handler = string(function.getValue().get("Handler"));
                String[] parts = handler.split("::");
                assertEquals(2, parts.length, function.getKey() + ": Handler is class::method, got " + handler);
                assertEquals("dev.fapi2lambda.aws." + function.getKey() + "::handleRequest", handler, function.getKey());
                ZipEntry entry = zip.getEntry(parts[0].replace('.', '/') + ".class");
                assertNotNull(entry, handler + " is not in " + jar.getFileName());
                try (InputStream in = zip.getInputStream(entry)) {
                    byte[] header = in.readNBytes(8);
                    int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                    assertTrue(major <= 65, parts[0] + " is class file version " + major + ": newer than the java21 runtime");
                }
                Class<?> type = Class.forName(parts[0], false, loader);
                assertSame(loader, type.getClassLoader(), parts[0] + " must come from the jar");
                assertTrue(streamHandler.isAssignableFrom(type), parts[0] + " does not implement RequestStreamHandler");
                assertNotNull(type.getConstructor(), parts[0] + " needs a public no-argument constructor");
                assertNotNull(type.getMethod(parts[1], InputStream.class, OutputStream.class, context));
            }
        }
    }

    /** Set by Lambda itself in every function; reserved, so a template may not set them. */
    private static final Set<String> LAMBDA_RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    @Test
    @DisplayName("(b) every environment variable Environment.java reads is set for every function")
    void everyEnvironmentVariableIsSet() throws IOException {
        Set<String> read = environmentVariablesRead(ENVIRONMENT_SOURCE);
        assertTrue(read.containsAll(Set.of("ISSUER", "TABLE_NAME", "KMS_PS256_KEY_ID", "KMS_ES256_KEY_ID")),
                "the scan of " + ENVIRONMENT_SOURCE + " found too little: " + read);
        Set<String> authorizerReads = environmentVariablesRead(AUTHORIZER_SOURCE);
        assertTrue(authorizerReads.containsAll(Set.of("API_AUDIENCE", "RESOURCE_BASE_URL")),
                "the scan of " + AUTHORIZER_SOURCE + " found too little: " + authorizerReads);
        Map<String, Object> global = map(map(globals().get("Environment")).get("Variables"));
        for (Map.Entry<String, Map<String, Object>> function : functions().entrySet()) {
            Set<String> set = new TreeSet<>(global.keySet());
            Object own = function.getValue().get("Environment");
            if (own != null) {
                set.addAll(map(map(own).get("Variables")).keySet());
            }
            Set<String> missing = new TreeSet<>(read);
            if (AUTHORIZER.equals(function.getKey())) {
                missing.addAll(authorizerReads);
            }
            Set<String> reservedButSet = new TreeSet<>(set);
            reservedButSet.retainAll(LAMBDA_RESERVED);
            assertTrue(reservedButSet.isEmpty(), function.getKey() + " sets reserved " + reservedButSet
                    + ": CloudFormation refuses the stack");
            missing.removeAll(set);
            missing.removeAll(LAMBDA_RESERVED);
            assertTrue(missing.isEmpty(), function.getKey() + " lacks " + missing);
        }
        // Any other class that reads the environment would be invisible to this test: there is none.
        List<String> otherReaders = new ArrayList<>();
        try (var sources = Files.list(root.resolve(AWS_SOURCES))) {
            for (Path source : sources.toList()) {
                String name = root.relativize(source).toString().replace('\\', '/');
                if (!name.equals(ENVIRONMENT_SOURCE) && !name.equals(AUTHORIZER_SOURCE)
                        && Pattern.compile("getenv|env\\.(require|optional)\\(").matcher(Files.readString(source)).find()) {
                    otherReaders.add(name);
                }
            }
        }
        assertTrue(otherReaders.isEmpty(), "environment read outside Environment/AuthorizerDefault: " + otherReaders);
        assertEquals(Map.of("Fn::Sub", "https://${DomainName}"), global.get("ISSUER"));
        assertEquals(Map.of("Fn::Sub", "https://${MtlsDomainName}"), global.get("MTLS_BASE_URL"));
        assertEquals(Map.of("Ref", "Table"), global.get("TABLE_NAME"));
        assertEquals(Map.of("Ref", "PreviousKeyIds"), global.get("KMS_PREVIOUS_KEY_IDS"));
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:Tier3InvocationThreshold=100"
                + " -XX:Tier3MinInvocationThreshold=50 -XX:Tier3CompileThreshold=1000", global.get("JAVA_TOOL_OPTIONS"));
    }

    @Test
    @DisplayName("(b') MTLS_CA_PEM: a PEM parameter with literal \\n reaches the function as a PEM bundle CertificateTrust reads")
    void mtlsCaPemBecomesAPemBundle() throws Exception {
        Object expression = map(map(globals().get("Environment")).get("Variables")).get("MTLS_CA_PEM");
        X509Certificate ca = selfSignedCertificate();
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        for (String parameter : List.of(pem.replace("\n", "\\n"), pem)) {
            String value = string(evaluate(expression, Map.of("MtlsCaPem", parameter)));
            assertEquals(pem, value);
            CertificateTrust.fromPem(value);
            assertEquals(ca, CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(value.getBytes(StandardCharsets.US_ASCII))));
        }
        assertEquals("", evaluate(expression, Map.of("MtlsCaPem", "")), "empty: no tls_client_auth CA");
    }

    @Test
    @DisplayName("(c) the table: pk string hash key, on demand, TTL on expiresAt, point-in-time recovery, encryption at rest")
    void tableHasTtlPitrAndSse() {
        List<Map<String, Object>> tables = resourcesOfType("AWS::DynamoDB::Table");
        assertEquals(1, tables.size(), "one table");
        Map<String, Object> table = map(tables.get(0).get("Properties"));
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"));
        assertEquals(List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")), table.get("KeySchema"));
        assertEquals(List.of(Map.of("AttributeName", "pk", "AttributeType", "S")), table.get("AttributeDefinitions"));
        Map<String, Object> ttl = map(table.get("TimeToLiveSpecification"));
        assertEquals("expiresAt", ttl.get("AttributeName"));
        assertEquals(Boolean.TRUE, ttl.get("Enabled"));
        assertEquals(Boolean.TRUE, map(table.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled"));
        assertEquals(Boolean.TRUE, map(table.get("SSESpecification")).get("SSEEnabled"));
    }

    @Test
    @DisplayName("(d) no IAM statement has a '*' Resource or Action; the only '*' are KMS key policies (resource policies)")
    void noWildcardInIamStatements() {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> withGlobals = new LinkedHashMap<>(functions());
        withGlobals.put("Globals.Function", globals());
        withGlobals.forEach((name, properties) -> {
            Object policies = properties.get("Policies");
            if (policies == null) {
                return;
            }
            for (Object policy : list(policies)) {
                if (!(policy instanceof Map<?, ?> document) || !document.containsKey("Statement")) {
                    problems.add(name + ": only inline statements, no managed policy or policy template: " + policy);
                    continue;
                }
                checkStatements(name, list(document.get("Statement")), problems);
            }
        });
        for (String type : List.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            resources().forEach((id, resource) -> {
                if (type.equals(resource.get("Type"))) {
                    problems.add(id + ": a hand-written " + type + " - keep permissions in the functions' Policies");
                }
            });
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));

        // Anywhere else in Resources and Globals, a '*' may only sit in a KMS key policy.
        List<String> stars = new ArrayList<>();
        resources().forEach((id, resource) -> {
            Object scope = "AWS::KMS::Key".equals(resource.get("Type"))
                    ? withoutKey(map(resource.get("Properties")), "KeyPolicy") : resource;
            collectStrings(scope, "Resources." + id, stars);
        });
        collectStrings(template.get("Globals"), "Globals", stars);
        stars.removeIf(s -> !s.contains("*"));
        assertTrue(stars.isEmpty(), "'*' outside KMS key policies: " + stars);
    }

    @Test
    @DisplayName("(d') each function may do exactly what its endpoint does (ItemStore and key service operations)")
    void leastPrivilegePerFunction() {
        Map<String, Set<String>> expected = Map.of(
                "DiscoveryFunction", Set.of(),
                "JwksFunction", Set.of("kms:GetPublicKey"),
                "ParFunction", Set.of("dynamodb:GetItem", "dynamodb:PutItem"),
                "AuthorizeFunction", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem"),
                "TokenFunction", Set.of("kms:Sign", "kms:GetPublicKey", "dynamodb:GetItem", "dynamodb:PutItem",
                        "dynamodb:UpdateItem"),
                "UserinfoFunction", Set.of("kms:GetPublicKey", "dynamodb:GetItem", "dynamodb:PutItem"),
                "IntrospectionFunction", Set.of("kms:GetPublicKey", "dynamodb:GetItem", "dynamodb:PutItem"),
                "RevocationFunction", Set.of("kms:GetPublicKey", "dynamodb:GetItem", "dynamodb:PutItem",
                        "dynamodb:UpdateItem"),
                AUTHORIZER, Set.of("dynamodb:GetItem", "dynamodb:PutItem"),
                ACCOUNTS, Set.of());
        Map<String, Set<String>> actual = new TreeMap<>();
        functions().forEach((name, properties) -> {
            Set<String> actions = new TreeSet<>();
            Object policies = properties.get("Policies");
            if (policies != null) {
                for (Object policy : list(policies)) {
                    for (Object statement : list(map(policy).get("Statement"))) {
                        Map<String, Object> s = map(statement);
                        assertEquals("Allow", s.get("Effect"), name);
                        Object action = s.get("Action");
                        List<String> own = new ArrayList<>();
                        (action instanceof List<?> l ? l : List.of(action)).forEach(a -> own.add(string(a)));
                        actions.addAll(own);
                        if (own.stream().allMatch(a -> a.startsWith("dynamodb:"))) {
                            assertEquals(Map.of("Fn::GetAtt", List.of("Table", "Arn")), s.get("Resource"),
                                    name + ": DynamoDB actions on the table only");
                        } else {
                            assertTrue(own.stream().allMatch(a -> a.startsWith("kms:")), name + ": one service per statement");
                            String resource = String.valueOf(s.get("Resource"));
                            assertTrue(resource.contains("Ps256Key") && resource.contains("Es256Key"),
                                    name + ": KMS actions on the signing keys only: " + resource);
                        }
                    }
                }
            }
            actual.put(name, actions);
        });
        assertEquals(new TreeMap<>(expected), actual);
        // Signing with a retired key is never needed: kms:Sign names the two active keys, no PreviousKeyIds.
        Map<String, Object> sign = list(map(list(functions().get("TokenFunction").get("Policies")).get(0)).get("Statement"))
                .stream().map(TemplateTest::map).filter(s -> "kms:Sign".equals(s.get("Action"))).findFirst().orElseThrow();
        assertFalse(String.valueOf(sign.get("Resource")).contains("PreviousKeyIds"), String.valueOf(sign));
    }

    @Test
    @DisplayName("(e) the Api events route exactly the paths of Routes, each to the function class Routes maps it to")
    void apiEventsMatchRoutes() {
        Map<String, String> routes = new TreeMap<>(routes());
        routes.put(Paths.ACCOUNTS, "dev.fapi2lambda.aws." + ACCOUNTS);
        Map<String, String> events = new TreeMap<>();
        functions().forEach((name, properties) -> {
            String handlerClass = string(properties.get("Handler")).split("::")[0];
            Object declared = properties.get("Events");
            if (declared == null) {
                return;
            }
            map(declared).forEach((event, definition) -> {
                Map<String, Object> e = map(definition);
                assertEquals("Api", e.get("Type"), name + "." + event);
                Map<String, Object> p = map(e.get("Properties"));
                assertEquals(Map.of("Ref", "Api"), p.get("RestApiId"), name + "." + event + ": the one REST API");
                if (ACCOUNTS.equals(name)) {
                    assertEquals("GET", p.get("Method"), name + "." + event);
                    assertEquals(Map.of("Authorizer", "DpopAuthorizer"), p.get("Auth"), "the sample API is protected");
                } else {
                    assertEquals("ANY", p.get("Method"), name + "." + event);
                    assertFalse(p.containsKey("Auth"), name + "." + event + ": OAuth endpoints have no API Gateway authorizer");
                }
                String previous = events.put(string(p.get("Path")), handlerClass);
                assertTrue(previous == null, p.get("Path") + " is routed twice");
            });
        });
        assertEquals(routes, events);

        Map<String, Object> auth = map(map(resources().get(apiLogicalId()).get("Properties")).get("Auth"));
        assertFalse(auth.containsKey("DefaultAuthorizer"), "no authorizer on the OAuth endpoints");
        Map<String, Object> authorizer = map(map(auth.get("Authorizers")).get("DpopAuthorizer"));
        assertEquals("REQUEST", authorizer.get("FunctionPayloadType"));
        assertEquals(Map.of("Ref", AUTHORIZER + ".Alias"), authorizer.get("FunctionArn"), "the SnapStart alias");
        Map<String, Object> identity = map(authorizer.get("Identity"));
        assertEquals(0, identity.get("ReauthorizeEvery"), "never cache: every request brings a new DPoP proof");
        assertEquals(List.of("Authorization"), identity.get("Headers"));
        assertFalse(functions().get(AUTHORIZER).containsKey("Events"), "the authorizer is no route");
    }

    @Test
    @DisplayName("(e') the gateway responses say what GatewayResponses (and the local server) say: a Deny is 401 with the challenge")
    void gatewayResponsesMatchTheLocalMapping() {
        Map<String, Object> responses = map(map(resources().get(apiLogicalId()).get("Properties")).get("GatewayResponses"));
        Map<String, Object> denied = map(responses.get("ACCESS_DENIED"));
        assertEquals(GatewayResponses.DENIED_STATUS, Integer.parseInt(String.valueOf(denied.get("StatusCode"))));
        Map<String, Object> headers = map(map(denied.get("ResponseParameters")).get("Headers"));
        GatewayResponses.DENIED_HEADERS.forEach((header, key) ->
                assertEquals("context.authorizer." + key, headers.get(header), header));
        assertEquals("'no-store'", headers.get("Cache-Control"));
        assertEquals(GatewayResponses.DENIED_BODY, map(denied.get("ResponseTemplates")).get("application/json"));

        Map<String, Object> unauthorized = map(responses.get("UNAUTHORIZED"));
        assertEquals(401, Integer.parseInt(String.valueOf(unauthorized.get("StatusCode"))));
        assertEquals("'" + GatewayResponses.UNAUTHORIZED_CHALLENGE + "'",
                map(map(unauthorized.get("ResponseParameters")).get("Headers")).get("WWW-Authenticate"));
    }

    @Test
    @DisplayName("(f) every function: java21 on arm64, SnapStart on published versions, invoked through an alias")
    void snapStartWithAnAliasEverywhere() {
        functions().forEach((name, properties) -> {
            assertEquals("java21", effective(properties, "Runtime"), name);
            assertEquals(List.of("arm64"), effective(properties, "Architectures"), name);
            assertEquals(Map.of("Ref", "MemorySize"), effective(properties, "MemorySize"), name);
            Object snapStart = effective(properties, "SnapStart");
            assertNotNull(snapStart, name + " has no SnapStart");
            assertEquals("PublishedVersions", map(snapStart).get("ApplyOn"), name);
            Object alias = effective(properties, "AutoPublishAlias");
            assertInstanceOf(String.class, alias, name + " has no AutoPublishAlias (the API would invoke $LATEST)");
            assertFalse(((String) alias).isBlank(), name);
        });
        assertEquals(512, map(parameters().get("MemorySize")).get("Default"));
    }

    @Test
    @DisplayName("(g) the issuer's domain has an enhanced TLS policy; the mTLS domain has a truststore and maps the same API and stage")
    void domainsTlsSettings() {
        List<Map<String, Object>> apis = resourcesOfType("AWS::Serverless::Api");
        assertEquals(1, apis.size(), "one REST API");
        Map<String, Object> api = map(apis.get(0).get("Properties"));
        assertEquals(Boolean.TRUE, api.get("DisableExecuteApiEndpoint"), "the execute-api endpoint would bypass mTLS");
        assertEquals(Map.of("Type", "REGIONAL"), api.get("EndpointConfiguration"));
        Map<String, Object> domain = map(api.get("Domain"));
        assertEquals(Map.of("Ref", "DomainName"), domain.get("DomainName"));
        assertEquals(Map.of("Ref", "CertificateArn"), domain.get("CertificateArn"));
        assertEquals("REGIONAL", domain.get("EndpointConfiguration"));
        assertTrue(string(domain.get("SecurityPolicy")).startsWith("SecurityPolicy_TLS13_"),
                "FAPI 2.0 SP 5.2.2 needs an enhanced policy (TLS 1.3 / TLS 1.2 ECDHE-GCM): " + domain.get("SecurityPolicy"));
        assertTrue(Set.of("STRICT", "BASIC").contains(domain.get("EndpointAccessMode")),
                "enhanced policies need an endpoint access mode");

        List<Map.Entry<String, Map<String, Object>>> mtlsDomains = resources().entrySet().stream()
                .filter(r -> "AWS::ApiGateway::DomainName".equals(r.getValue().get("Type"))).toList();
        assertEquals(1, mtlsDomains.size(), "one explicit (mTLS) domain");
        Map<String, Object> mtls = map(mtlsDomains.get(0).getValue().get("Properties"));
        assertEquals(Map.of("Ref", "MtlsDomainName"), mtls.get("DomainName"));
        assertEquals(Map.of("Ref", "MtlsCertificateArn"), mtls.get("RegionalCertificateArn"));
        assertEquals(Map.of("Types", List.of("REGIONAL")), mtls.get("EndpointConfiguration"));
        assertEquals("TLS_1_2", mtls.get("SecurityPolicy"), "API Gateway allows mTLS with legacy policies only");
        Map<String, Object> mutualTls = map(mtls.get("MutualTlsAuthentication"));
        assertEquals(Map.of("Ref", "TruststoreUri"), mutualTls.get("TruststoreUri"));
        assertTrue(string(map(parameters().get("TruststoreUri")).get("AllowedPattern")).startsWith("^s3://"));

        String stage = string(api.get("StageName"));
        List<Map<String, Object>> mappings = resourcesOfType("AWS::ApiGateway::BasePathMapping");
        assertEquals(1, mappings.size());
        Map<String, Object> mapping = map(mappings.get(0).get("Properties"));
        String apiId = apiLogicalId();
        assertEquals(Map.of("Ref", mtlsDomains.get(0).getKey()), mapping.get("DomainName"));
        assertEquals(Map.of("Ref", apiId), mapping.get("RestApiId"));
        assertEquals(stage, mapping.get("Stage"));
        Object dependsOn = mappings.get(0).get("DependsOn");
        assertTrue((dependsOn instanceof List<?> l ? l : List.of(dependsOn)).contains(apiId + stage + "Stage"),
                "the mapping must wait for SAM's stage " + apiId + stage + "Stage, got " + dependsOn);
    }

    @Test
    @DisplayName("(h) CodeLifetimeSeconds cannot exceed 60 s (FAPI 2.0 SP 5.3.2.1) and is what the functions read")
    void codeLifetimeAtMostSixtySeconds() {
        Map<String, Object> code = map(parameters().get("CodeLifetimeSeconds"));
        assertNotNull(code.get("MaxValue"), "CodeLifetimeSeconds needs a MaxValue");
        assertTrue(((Number) code.get("MaxValue")).intValue() <= 60, "MaxValue " + code.get("MaxValue"));
        assertTrue(((Number) code.get("Default")).intValue() <= 60, "Default " + code.get("Default"));
        assertEquals(Map.of("Ref", "CodeLifetimeSeconds"),
                map(map(globals().get("Environment")).get("Variables")).get("CODE_LIFETIME_SECONDS"));
    }

    @Test
    @DisplayName("(i) two KMS signing keys (RSA for PS256, P-256 for ES256), each with an alias and an account-root key policy")
    void signingKeys() {
        Map<String, Map<String, Object>> keys = new TreeMap<>();
        resources().forEach((id, r) -> {
            if ("AWS::KMS::Key".equals(r.get("Type"))) {
                keys.put(id, map(r.get("Properties")));
            }
        });
        assertEquals(Set.of("Es256Key", "Ps256Key"), keys.keySet());
        assertEquals("RSA_3072", keys.get("Ps256Key").get("KeySpec"));
        assertEquals("ECC_NIST_P256", keys.get("Es256Key").get("KeySpec"));
        keys.forEach((id, key) -> {
            assertEquals("SIGN_VERIFY", key.get("KeyUsage"), id);
            List<Object> statements = list(map(key.get("KeyPolicy")).get("Statement"));
            assertTrue(statements.stream().map(TemplateTest::map).anyMatch(s -> String.valueOf(s.get("Principal"))
                    .contains(":root")), id + ": the account root administers the key");
        });
        Set<String> aliased = new TreeSet<>();
        resourcesOfType("AWS::KMS::Alias").forEach(a -> {
            Map<String, Object> p = map(a.get("Properties"));
            assertTrue(String.valueOf(p.get("AliasName")).contains("alias/"), String.valueOf(p));
            aliased.add(string(map(p.get("TargetKeyId")).get("Ref")));
        });
        assertEquals(keys.keySet(), aliased);
    }

    // ---------------------------------------------------------------------------------------------
    // template.yaml, read with CloudFormation's short tags

    /** Parses CloudFormation YAML: every "!X" tag becomes {"Fn::X": value} ({"Ref": value} for !Ref). */
    static Map<String, Object> parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        Constructor constructor = new Constructor(options) {
            {
                yamlMultiConstructors.put("!", new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        String name = node.getTag().getValue().substring(1);
                        Object value;
                        if (node instanceof ScalarNode scalar) {
                            value = constructScalar(scalar);
                        } else if (node instanceof SequenceNode sequence) {
                            value = constructSequence(sequence);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        if ("GetAtt".equals(name) && value instanceof String dotted) {
                            int dot = dotted.indexOf('.');
                            value = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                        }
                        String key = switch (name) {
                            case "Ref" -> "Ref";
                            case "Condition" -> "Condition";
                            default -> "Fn::" + name;
                        };
                        Map<String, Object> function = new LinkedHashMap<>();
                        function.put(key, value);
                        return function;
                    }
                });
            }
        };
        return new Yaml(constructor).load(yaml);
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
    }

    private static Map<String, Map<String, Object>> resources() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        map(template.get("Resources")).forEach((id, r) -> out.put(id, map(r)));
        return out;
    }

    private static List<Map<String, Object>> resourcesOfType(String type) {
        return resources().values().stream().filter(r -> type.equals(r.get("Type"))).toList();
    }

    private static Map<String, Map<String, Object>> functions() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        resources().forEach((id, r) -> {
            if ("AWS::Serverless::Function".equals(r.get("Type"))) {
                out.put(id, map(r.get("Properties")));
            }
        });
        return out;
    }

    /** Path to function class, as {@link Routes} maps them (the functions are built, never called). */
    private static Map<String, String> routes() {
        ItemStore store = new InMemoryItemStore();
        KeyService keys = new JwkKeyService(List.of(TestKeys.rsa(), TestKeys.ec()));
        Components components = new Components(ServerConfig.defaults("https://as.example.test"), () -> store, () -> keys,
                Clock.systemUTC(), new SecureRandom());
        Map<String, String> routes = new TreeMap<>();
        Routes.functions(components).forEach((path, function) -> routes.put(path, function.getClass().getName()));
        return routes;
    }

    private static String apiLogicalId() {
        return resources().entrySet().stream().filter(r -> "AWS::Serverless::Api".equals(r.getValue().get("Type")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static Map<String, Object> globals() {
        return map(map(template.get("Globals")).get("Function"));
    }

    private static Map<String, Object> parameters() {
        return map(template.get("Parameters"));
    }

    /** A function's property, or the Globals value SAM would merge in. */
    private static Object effective(Map<String, Object> function, String property) {
        return function.containsKey(property) ? function.get(property) : globals().get(property);
    }

    /**
     * The variables a source file reads: the literal names passed to require, optional, the file's
     * own name-taking methods (helpers such as seconds), System.getenv and env.get.
     */
    private static Set<String> environmentVariablesRead(String file) throws IOException {
        String source = Files.readString(root.resolve(file));
        Set<String> readers = new LinkedHashSet<>(List.of("getenv", "get", "require", "optional"));
        Matcher declarations = Pattern.compile("\\b(\\w+)\\s*\\(\\s*String\\s+\\w+\\s*\\)\\s*\\{").matcher(source);
        while (declarations.find()) {
            readers.add(declarations.group(1));
        }
        Set<String> names = new TreeSet<>();
        Matcher calls = Pattern.compile("\\b(\\w+)\\(\\s*\"([A-Z][A-Z0-9_]*)\"\\s*\\)").matcher(source);
        while (calls.find()) {
            if (readers.contains(calls.group(1))) {
                names.add(calls.group(2));
            }
        }
        return names;
    }

    private static void checkStatements(String owner, List<Object> statements, List<String> problems) {
        for (Object raw : statements) {
            Map<String, Object> statement = map(raw);
            for (String forbidden : List.of("NotResource", "NotAction")) {
                if (statement.containsKey(forbidden)) {
                    problems.add(owner + ": " + forbidden + " in " + statement);
                }
            }
            Object resource = statement.get("Resource");
            if (resource == null) {
                problems.add(owner + ": statement without Resource: " + statement);
                continue;
            }
            List<String> strings = new ArrayList<>();
            collectStrings(resource, owner, strings);
            strings.stream().filter(s -> s.contains("*")).forEach(s -> problems.add(owner + ": Resource " + s));
            List<String> actions = new ArrayList<>();
            collectStrings(statement.get("Action"), owner, actions);
            actions.stream().filter(s -> s.contains("*")).forEach(s -> problems.add(owner + ": Action " + s));
        }
    }

    /** Every string value under a node (map keys, i.e. intrinsic function names, excluded). */
    private static void collectStrings(Object node, String where, List<String> out) {
        if (node instanceof String s) {
            out.add(s.contains("*") ? where + ": " + s : s);
        } else if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> collectStrings(v, where + "." + k, out));
        } else if (node instanceof Collection<?> c) {
            c.forEach(v -> collectStrings(v, where, out));
        }
    }

    private static Map<String, Object> withoutKey(Map<String, Object> map, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.remove(key);
        return copy;
    }

    /** Evaluates the few intrinsic functions a parameter-only expression uses (Ref, If, Join, Split). */
    private static Object evaluate(Object expression, Map<String, String> parameters) {
        if (expression instanceof String s) {
            return s;
        }
        if (expression instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(item -> out.add(evaluate(item, parameters)));
            return out;
        }
        Map<String, Object> function = map(expression);
        assertEquals(1, function.size(), String.valueOf(function));
        Map.Entry<String, Object> only = function.entrySet().iterator().next();
        List<Object> args = only.getValue() instanceof List<?> l ? new ArrayList<>(l) : List.of();
        switch (only.getKey()) {
            case "Ref":
                assertTrue(parameters.containsKey(string(only.getValue())), "unknown parameter " + only.getValue());
                return parameters.get(string(only.getValue()));
            case "Fn::If":
                return condition(map(map(template.get("Conditions")).get(string(args.get(0)))), parameters)
                        ? evaluate(args.get(1), parameters) : evaluate(args.get(2), parameters);
            case "Fn::Join": {
                List<String> parts = new ArrayList<>();
                list(evaluate(args.get(1), parameters)).forEach(p -> parts.add(string(p)));
                return String.join(string(args.get(0)), parts);
            }
            case "Fn::Split":
                return new ArrayList<Object>(List.of(string(evaluate(args.get(1), parameters))
                        .split(Pattern.quote(string(args.get(0))), -1)));
            default:
                return fail("cannot evaluate " + only.getKey());
        }
    }

    private static boolean condition(Map<String, Object> condition, Map<String, String> parameters) {
        Map.Entry<String, Object> only = condition.entrySet().iterator().next();
        List<Object> args = list(only.getValue());
        return switch (only.getKey()) {
            case "Fn::Not" -> !condition(map(args.get(0)), parameters);
            case "Fn::Equals" -> evaluate(args.get(0), parameters).equals(evaluate(args.get(1), parameters));
            default -> fail("cannot evaluate condition " + only.getKey());
        };
    }

    private static X509Certificate selfSignedCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=TemplateTest CA");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertInstanceOf(Map.class, value, "expected a map, got " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertInstanceOf(List.class, value, "expected a list, got " + value);
        return (List<Object>) value;
    }

    private static String string(Object value) {
        assertInstanceOf(String.class, value, "expected a string, got " + value);
        return (String) value;
    }
}
