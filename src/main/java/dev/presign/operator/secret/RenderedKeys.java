package dev.presign.operator.secret;

import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.template.SecretDataTemplates;
import dev.presign.operator.template.TemplateException;
import dev.presign.operator.template.TemplateValues;
import dev.presign.operator.validation.InvalidSpecException;
import dev.presign.operator.validation.ValidLink;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The keys of secretTemplate.data, rendered from the URL the Secret holds (DESIGN §2), so that they
 * are written in the same update as the URL. What a template sees is built here, from the URL, its
 * record and the link's signing request; nothing else reaches it.
 */
final class RenderedKeys {

  /** What the API server takes in one Secret's data, all values together. */
  static final long SECRET_LIMIT_BYTES = 1024 * 1024;

  private RenderedKeys() {}

  /**
   * @param region the region the URL is signed for (the operator's when the link names none)
   * @param written the values of the keys the operator writes beside them (URL, expiry, ...), which
   *     take their room in the Secret first
   * @throws InvalidSpecException naming the template's key when it cannot be rendered, or when the
   *     Secret would hold more than the API server takes
   */
  static SortedMap<String, String> render(
      ValidLink valid,
      String url,
      IssuedUrl issued,
      String region,
      Map<String, String> formFields,
      Collection<String> written) {
    SecretDataTemplates templates = valid.secret().data();
    if (templates.isEmpty()) {
      return new TreeMap<>();
    }
    long room =
        SECRET_LIMIT_BYTES
            - written.stream().mapToLong(v -> v.getBytes(StandardCharsets.UTF_8).length).sum();
    TemplateValues values =
        new TemplateValues(
            url,
            issued.expiresAt(),
            issued.issuedAt(),
            valid.request().method().name(),
            valid.request().bucket(),
            valid.request().key(),
            region,
            formFields);
    try {
      return templates.render(values, room);
    } catch (TemplateException.TooLarge e) {
      throw new InvalidSpecException(
          "spec.secretTemplate.data",
          "the Secret would hold more than "
              + SECRET_LIMIT_BYTES
              + " bytes (1 MiB, what the API server takes) once ["
              + e.key()
              + "] is rendered");
    } catch (TemplateException e) {
      throw new InvalidSpecException(
          "spec.secretTemplate.data[" + e.key() + "]",
          e.position().map(at -> at + ": ").orElse("") + e.problem());
    }
  }
}
