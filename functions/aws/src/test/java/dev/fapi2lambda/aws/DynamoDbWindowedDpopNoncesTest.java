package dev.fapi2lambda.aws;

import dev.fapi2lambda.core.dpop.WindowedDpopNoncesTest;
import dev.fapi2lambda.core.store.ItemStore;
import org.junit.jupiter.api.DisplayName;

/** The server's DPoP nonce tests (RFC 9449 8, 9) over DynamoDB Local's real API: a fresh table per test. */
@DisplayName("WindowedDpopNonces on DynamoDB Local")
class DynamoDbWindowedDpopNoncesTest extends WindowedDpopNoncesTest {
    @Override
    protected ItemStore newStore() {
        return TestDynamo.freshStore();
    }
}
