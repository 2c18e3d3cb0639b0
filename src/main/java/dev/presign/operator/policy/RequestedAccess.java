package dev.presign.operator.policy;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import java.time.Duration;

/** What a link signed with the operator's own identity asks for: the policy's question. */
public record RequestedAccess(
    String namespace, String bucket, String key, HttpMethod method, Duration expiresIn) {}
