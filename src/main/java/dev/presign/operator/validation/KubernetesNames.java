package dev.presign.operator.validation;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API server's rules for object names, label and annotation keys and values
 * (k8s.io/apimachinery/pkg/util/validation), checked before writing so that a mistake the user can
 * fix is reported as InvalidSpec naming the field, not as a refusal of the Secret.
 */
final class KubernetesNames {

  private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile(DNS_LABEL + "(\\." + DNS_LABEL + ")*");
  private static final Pattern NAME_PART =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final int MAX_SUBDOMAIN = 253;
  private static final int MAX_NAME_PART = 63;
  private static final int MAX_LABEL_VALUE = 63;
  private static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;

  private KubernetesNames() {}

  /**
   * Why {@code name} is not a DNS subdomain (the names of Secrets, workloads...); empty if it is.
   */
  static Optional<String> subdomainProblem(String name) {
    if (name.length() > MAX_SUBDOMAIN) {
      return Optional.of("is longer than " + MAX_SUBDOMAIN + " characters");
    }
    if (!DNS_SUBDOMAIN.matcher(name).matches()) {
      return Optional.of(
          "'"
              + name
              + "' is not a valid name: lowercase letters, digits, '-' and '.', starting and"
              + " ending with a letter or digit");
    }
    return Optional.empty();
  }

  /** Why {@code key} is not a label or annotation key ([prefix/]name); empty if it is. */
  static Optional<String> keyProblem(String key) {
    int slash = key.lastIndexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || subdomainProblem(prefix).isPresent()) {
        return Optional.of(
            "key '"
                + key
                + "' has an invalid prefix: it must be a DNS subdomain such as example.com");
      }
    }
    if (name.isEmpty() || name.length() > MAX_NAME_PART || !NAME_PART.matcher(name).matches()) {
      return Optional.of(
          "key '"
              + key
              + "' is invalid: the name part must be 1-63 characters of letters, digits, '-', '_'"
              + " and '.', starting and ending with a letter or digit");
    }
    return Optional.empty();
  }

  /** Why {@code value} is not a label value; empty if it is. */
  static Optional<String> labelValueProblem(String value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() > MAX_LABEL_VALUE || !NAME_PART.matcher(value).matches()) {
      return Optional.of(
          "value '"
              + value
              + "' is invalid: at most 63 characters of letters, digits, '-', '_' and '.',"
              + " starting and ending with a letter or digit");
    }
    return Optional.empty();
  }

  /** Why these annotations together are too large for one object; empty if they fit. */
  static Optional<String> annotationsSizeProblem(Map<String, String> annotations) {
    long bytes =
        annotations.entrySet().stream()
            .mapToLong(
                e ->
                    e.getKey().getBytes(StandardCharsets.UTF_8).length
                        + (long) e.getValue().getBytes(StandardCharsets.UTF_8).length)
            .sum();
    return bytes > MAX_ANNOTATIONS_BYTES
        ? Optional.of("take " + bytes + " bytes; Kubernetes allows " + MAX_ANNOTATIONS_BYTES)
        : Optional.empty();
  }
}
