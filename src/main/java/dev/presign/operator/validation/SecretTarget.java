package dev.presign.operator.validation;

import java.util.Map;

/** The Secret a link writes: its name, the data key of the URL and the metadata added to it. */
public record SecretTarget(
    String name, String urlKey, Map<String, String> labels, Map<String, String> annotations) {}
