package dev.presign.operator.validation;

import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.signing.SigningRequest;
import java.time.Duration;

/**
 * A spec that passed validation, with its defaults applied.
 *
 * @param credentials null: the operator's own identity
 * @param signedSpec the fingerprint of what the URL is signed for ({@link SignedSpec})
 */
public record ValidLink(
    SigningRequest request,
    Duration expiresIn,
    Duration renewBefore,
    SecretTarget secret,
    LinkCredentials credentials,
    String signedSpec) {}
