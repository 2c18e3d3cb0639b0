package dev.presign.operator.template;

import dev.presign.operator.signing.FormFields;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a template of secretTemplate.data may see (DESIGN §2), and nothing else: the URL, its
 * expiry and issue time, the method, bucket, key and region it was signed for, and the form fields
 * of a POST link.
 *
 * @param fields the form fields of a POST link, in the order of the form; empty for GET and PUT
 */
public record TemplateValues(
    String url,
    Instant expiresAt,
    Instant issuedAt,
    String method,
    String bucket,
    String key,
    String region,
    Map<String, String> fields) {

  /** The names of the values every link has, as a template writes them. */
  public static final List<String> NAMES =
      List.of("url", "expiresAt", "issuedAt", "method", "bucket", "key", "region");

  /** The form fields as one JSON object: the same text as the Secret's fields key. */
  static final String FIELDS = "fields";

  /** The prefix of one form field: {{ fields.policy }}. */
  static final String FIELD_PREFIX = FIELDS + ".";

  public TemplateValues {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** The values by the names a template uses; the fields only when the link has some. */
  Map<String, String> byName() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("url", url);
    values.put("expiresAt", expiresAt.toString());
    values.put("issuedAt", issuedAt.toString());
    values.put("method", method);
    values.put("bucket", bucket);
    values.put("key", key);
    values.put("region", region);
    if (!fields.isEmpty()) {
      values.put(FIELDS, fieldsAsJson());
      fields.forEach((name, value) -> values.put(FIELD_PREFIX + name, value));
    }
    return values;
  }

  /** The form fields as a JSON object, in their order: what the Secret's fields key holds. */
  public String fieldsAsJson() {
    return FormFields.toJson(fields);
  }
}
