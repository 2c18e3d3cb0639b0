package dev.presign.operator.validation;

import dev.presign.operator.template.SecretDataTemplates;
import java.util.Map;

/**
 * The Secret a link writes: its name, the data key of the URL, the metadata added to it and the
 * templates of the keys rendered beside the URL.
 */
public record SecretTarget(
    String name,
    String urlKey,
    Map<String, String> labels,
    Map<String, String> annotations,
    SecretDataTemplates data) {}
