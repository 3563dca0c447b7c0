package dev.fapi2lambda.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counts the AWS requests an SDK client sends, by "Service.Operation": each HTTP attempt
 * (beforeTransmission, retries included) and each API call (beforeExecution).
 */
final class CallCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> items = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.computeIfAbsent(name(attributes), k -> new LongAdder()).increment();
        String kind = itemKind(context.request());
        if (kind != null) {
            items.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " " + kind,
                    k -> new LongAdder()).increment();
        }
    }

    /** The kind of item a DynamoDB request touches: its key's prefix up to '#' ("client#", "jti#", ...). */
    private static String itemKind(SdkRequest request) {
        AttributeValue pk = null;
        if (request instanceof GetItemRequest r) {
            pk = r.key().get("pk");
        } else if (request instanceof PutItemRequest r) {
            pk = r.item().get("pk");
        } else if (request instanceof UpdateItemRequest r) {
            pk = r.key().get("pk");
        } else if (request instanceof DeleteItemRequest r) {
            pk = r.key().get("pk");
        }
        if (pk == null || pk.s() == null) {
            return null;
        }
        int hash = pk.s().indexOf('#');
        return hash < 0 ? pk.s() : pk.s().substring(0, hash + 1);
    }

    /** DynamoDB API calls so far, by "Operation kind#". */
    Map<String, Long> items() {
        return snapshot(items);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.computeIfAbsent(name(attributes), k -> new LongAdder()).increment();
    }

    private static String name(ExecutionAttributes attributes) {
        String service = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        String normalized = service.equalsIgnoreCase("DynamoDb") ? "DynamoDB" : service.equalsIgnoreCase("Kms") ? "KMS" : service;
        return normalized + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    /** HTTP requests sent so far, by Service.Operation. */
    Map<String, Long> attempts() {
        return snapshot(attempts);
    }

    /** API calls made so far, by Service.Operation. */
    Map<String, Long> calls() {
        return snapshot(calls);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** after - before, zero entries dropped. */
    static Map<String, Long> diff(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }
}
