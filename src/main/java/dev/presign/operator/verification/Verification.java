package dev.presign.operator.verification;

import dev.presign.operator.signing.UrlRedaction;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What S3 answered to a ranged GET of a presigned URL (R11).
 *
 * @param verified the URL read the object
 * @param code S3's error code (NoSuchKey, AccessDenied...), HTTPnnn when the answer had none,
 *     Unreachable when there was no answer; Verified when it worked
 * @param message S3's message, or the status, or the cause; never the URL
 */
public record Verification(boolean verified, String code, String message) {

  public static final String VERIFIED = "Verified";
  public static final String UNREACHABLE = "Unreachable";

  /** Codes kept as they are in the metric label; any other becomes "Other" (bounded label set). */
  private static final Set<String> KNOWN_CODES =
      Set.of(
          "AccessDenied",
          "AllAccessDisabled",
          "AuthorizationHeaderMalformed",
          "AuthorizationQueryParametersError",
          "ExpiredToken",
          "InternalError",
          "InvalidAccessKeyId",
          "InvalidBucketName",
          "InvalidObjectState",
          "InvalidRequest",
          "InvalidToken",
          "KMS.DisabledException",
          "KMS.KMSInvalidStateException",
          "KMS.NotFoundException",
          "NoSuchBucket",
          "NoSuchKey",
          "NoSuchVersion",
          "PermanentRedirect",
          "Redirect",
          "RequestTimeTooSkewed",
          "ServiceUnavailable",
          "SignatureDoesNotMatch",
          "SlowDown",
          "TemporaryRedirect",
          UNREACHABLE);

  private static final Pattern HTTP_CODE = Pattern.compile("HTTP[1-5][0-9][0-9]");
  private static final Pattern NOT_IN_REASON = Pattern.compile("[^A-Za-z0-9_]");
  private static final int MAX_MESSAGE = 300;

  public Verification {
    message = UrlRedaction.redact(message);
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
  }

  static Verification ok(String message) {
    return new Verification(true, VERIFIED, message);
  }

  static Verification failed(String code, String message) {
    return new Verification(false, code, message);
  }

  static Verification unreachable(String cause) {
    return new Verification(false, UNREACHABLE, "unreachable: " + cause);
  }

  /** The code as a condition reason, which Kubernetes allows letters, digits and _ in. */
  public String reason() {
    String reason = NOT_IN_REASON.matcher(code).replaceAll("_");
    return reason.isEmpty() || !Character.isLetter(reason.charAt(0)) ? "S3Error" : reason;
  }

  /** The code as a metric label: one of a fixed set, so that a server cannot grow the series. */
  public String metricCode() {
    return KNOWN_CODES.contains(code) || HTTP_CODE.matcher(code).matches() ? code : "Other";
  }
}
