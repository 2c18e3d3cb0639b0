package dev.presign.operator.rotation;

import java.time.Instant;

/**
 * The life of one URL: signed at {@code issuedAt}, valid until {@code expiresAt}, replaced at
 * {@code renewalTime}. All whole seconds.
 *
 * @param lifetimeCapped true when the credentials' expiry cut the requested lifetime (R2)
 */
public record Schedule(
    Instant issuedAt, Instant expiresAt, Instant renewalTime, boolean lifetimeCapped) {}
