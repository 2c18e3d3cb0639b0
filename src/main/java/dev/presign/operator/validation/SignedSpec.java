package dev.presign.operator.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The fingerprint of what a URL is signed for: the whole spec but spec.secretTemplate.data, the
 * templates rendered beside it. A new generation with the same fingerprint changed only templates:
 * the URL in hand serves it, and the Secret is rendered anew without signing (DESIGN §2). Taken
 * over the spec less one field, not over a list of the fields that sign, so that a field added to
 * the spec counts as signing input without anyone remembering to add it here.
 */
public final class SignedSpec {

  // Keys sorted at every level: the same spec gives the same text whatever order it was sent in.
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private SignedSpec() {}

  /** "sha256:" and the hex SHA-256 of the spec without its templates, as canonical JSON. */
  @SuppressWarnings("unchecked")
  public static String digest(PresignedObjectLinkSpec spec) {
    Map<String, Object> tree = CANONICAL.convertValue(spec, Map.class);
    if (tree.get("secretTemplate") instanceof Map<?, ?> template) {
      template.remove("data");
      if (template.isEmpty()) {
        tree.remove("secretTemplate");
      }
    }
    try {
      byte[] json = CANONICAL.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("a spec is always JSON, and every JVM has SHA-256", e);
    }
  }
}
