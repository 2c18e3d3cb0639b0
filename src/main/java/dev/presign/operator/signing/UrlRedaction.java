package dev.presign.operator.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Keeps presigned URLs out of logs, messages and status (rule R6). */
public final class UrlRedaction {

  private static final Pattern SECRET_PARAMETERS =
      Pattern.compile(
          "(X-Amz-(?:Signature|Credential|Security-Token)=)[A-Za-z0-9%._~+/=-]*",
          Pattern.CASE_INSENSITIVE);

  private UrlRedaction() {}

  /** The text with the signature, credential and session token of any URL in it replaced. */
  public static String redact(String text) {
    return text == null ? null : SECRET_PARAMETERS.matcher(text).replaceAll("$1REDACTED");
  }

  /** A fingerprint that tells URLs apart without revealing them: "sha256:" and 64 hex digits. */
  public static String digest(String url) {
    return digest(url, null);
  }

  /**
   * The fingerprint of a POST form: its action and its fields as the Secret holds them, so that an
   * edited or removed form shows as well as an edited URL.
   *
   * @param fieldsJson null for GET and PUT
   */
  public static String digest(String url, String fieldsJson) {
    String signed = fieldsJson == null ? url : url + "\n" + fieldsJson;
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(signed.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
