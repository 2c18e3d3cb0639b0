package dev.presign.operator.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * A SigV4 POST policy and the form fields that carry it (S3 API reference, "Browser-Based Uploads
 * Using POST (AWS Signature Version 4)"; botocore's generate_presigned_post and S3SigV4PostAuth
 * have the same shape). Pure: the signing time comes in, the fields go out. The AWS SDK for Java v2
 * has no POST presigner, so the HMAC chain is done here.
 */
public final class PostPolicy {

  public static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /** The key's suffix S3 replaces with the name of the uploaded file. */
  public static final String FILENAME = "${filename}";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter EXPIRATION =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private PostPolicy() {}

  /**
   * The form fields of an upload to {@code bucket}, in the order S3 expects them; the uploader adds
   * the file last (and, when the content type is a prefix, its Content-Type).
   *
   * @param key exact, or ending in {@value #FILENAME}: then any key with the part before it
   * @param signedAt the x-amz-date of the form
   * @param expiresAt the policy's expiration
   */
  public static Map<String, String> fields(
      String bucket,
      String key,
      UploadConditions upload,
      AwsCredentials credentials,
      String region,
      Instant signedAt,
      Instant expiresAt) {
    String credential =
        credentials.accessKeyId() + "/" + DATE.format(signedAt) + "/" + region + "/s3/aws4_request";
    Optional<String> securityToken =
        credentials instanceof AwsSessionCredentials session
            ? Optional.of(session.sessionToken())
            : Optional.empty();
    Map<String, String> fields = new LinkedHashMap<>();
    ArrayNode conditions = JSON.createArrayNode();
    conditions.addObject().put("bucket", bucket);
    fields.put("key", key);
    keyPrefix(key)
        .ifPresentOrElse(
            prefix -> conditions.addArray().add("starts-with").add("$key").add(prefix),
            () -> conditions.addObject().put("key", key));
    conditions.addArray().add("content-length-range").add(upload.minSize()).add(upload.maxSize());
    upload
        .contentType()
        .ifPresent(
            type -> {
              if (upload.contentTypeIsPrefix()) {
                conditions.addArray().add("starts-with").add("$Content-Type").add(type);
              } else {
                conditions.addObject().put("Content-Type", type);
                fields.put("Content-Type", type);
              }
            });
    upload
        .successActionStatus()
        .map(String::valueOf)
        .ifPresent(
            status -> {
              conditions.addObject().put("success_action_status", status);
              fields.put("success_action_status", status);
            });
    condition(conditions, fields, "x-amz-algorithm", ALGORITHM);
    condition(conditions, fields, "x-amz-credential", credential);
    condition(conditions, fields, "x-amz-date", AMZ_DATE.format(signedAt));
    securityToken.ifPresent(token -> condition(conditions, fields, "x-amz-security-token", token));
    String policy = base64(policyJson(expiresAt, conditions));
    fields.put("policy", policy);
    fields.put(
        "x-amz-signature",
        signature(credentials.secretAccessKey(), DATE.format(signedAt), region, policy));
    return fields;
  }

  /** The part before {@value #FILENAME} of a key that ends with it; empty for a fixed key. */
  static Optional<String> keyPrefix(String key) {
    return key.endsWith(FILENAME)
        ? Optional.of(key.substring(0, key.length() - FILENAME.length()))
        : Optional.empty();
  }

  /**
   * The hex HMAC-SHA256 of the base64 policy with the SigV4 signing key of the day, region and s3.
   *
   * @param date yyyyMMdd, the date of the form's x-amz-date
   */
  public static String signature(
      String secretAccessKey, String date, String region, String base64Policy) {
    byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    return HexFormat.of().formatHex(hmac(key, base64Policy));
  }

  private static void condition(
      ArrayNode conditions, Map<String, String> fields, String name, String value) {
    conditions.addObject().put(name, value);
    fields.put(name, value);
  }

  private static String policyJson(Instant expiresAt, ArrayNode conditions) {
    ObjectNode policy = JSON.createObjectNode();
    policy.put("expiration", EXPIRATION.format(expiresAt));
    policy.set("conditions", conditions);
    try {
      return JSON.writeValueAsString(policy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers is always JSON", e);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
