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
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        for (AttributeValue pk : keys(context.request())) {
            String kind = itemKind(pk);
            if (kind != null) {
                items.computeIfAbsent(operation + " " + kind, k -> new LongAdder()).increment();
            }
        }
    }

    /** The keys a DynamoDB request touches (a transaction or a batch touches several). */
    private static java.util.List<AttributeValue> keys(SdkRequest request) {
        java.util.List<AttributeValue> keys = new java.util.ArrayList<>();
        if (request instanceof software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest r) {
            for (var item : r.transactItems()) {
                if (item.put() != null) {
                    keys.add(item.put().item().get("pk"));
                } else if (item.update() != null) {
                    keys.add(item.update().key().get("pk"));
                } else if (item.delete() != null) {
                    keys.add(item.delete().key().get("pk"));
                } else if (item.conditionCheck() != null) {
                    keys.add(item.conditionCheck().key().get("pk"));
                }
            }
        } else if (request instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest r) {
            r.requestItems().values().forEach(k -> k.keys().forEach(key -> keys.add(key.get("pk"))));
        } else {
            keys.add(singleKey(request));
        }
        return keys;
    }

    private static AttributeValue singleKey(SdkRequest request) {
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
        return pk;
    }

    /** The kind of item a key names: its prefix up to '#' ("client#", "jti#", ...). */
    private static String itemKind(AttributeValue pk) {
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
