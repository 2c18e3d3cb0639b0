package dev.presign.operator.signing;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.ResponseHeaders;
import java.net.URI;
import java.util.Optional;

/**
 * Everything that goes into one presigned URL but the credentials and the lifetime.
 *
 * @param region empty: the operator's default region
 * @param endpoint empty: AWS S3
 * @param responseHeaders GET only; may be null
 * @param contentType PUT only
 * @param upload POST only: the conditions of the form's policy
 */
public record SigningRequest(
    String bucket,
    String key,
    HttpMethod method,
    Optional<String> region,
    Optional<URI> endpoint,
    boolean pathStyle,
    Optional<String> versionId,
    ResponseHeaders responseHeaders,
    Optional<String> contentType,
    Optional<UploadConditions> upload) {

  /**
   * What the uploader cannot change of the key: all of it, but for a POST key ending in {@value
   * PostPolicy#FILENAME} the part before it.
   */
  public String fixedKeyPart() {
    return method == HttpMethod.POST ? PostPolicy.keyPrefix(key).orElse(key) : key;
  }
}
