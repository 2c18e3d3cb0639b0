package dev.presign.operator.report;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * A link is gone: what is kept of it (its per-link gauges, its verification) goes too. {@link
 * SdkMetrics} fires it as the SDK reports the deletion; observers take it as a CDI event, so that
 * what keeps state of links needs no import of what announces their end.
 */
public record LinkDeleted(ResourceID link) {}
