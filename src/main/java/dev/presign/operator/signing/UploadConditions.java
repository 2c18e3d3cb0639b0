package dev.presign.operator.signing;

import java.util.Optional;

/**
 * The conditions a POST form's policy puts on the upload (DESIGN §1, {@code spec.upload}).
 *
 * @param minSize bytes, inclusive; 0 when the link sets none
 * @param maxSize bytes, inclusive
 * @param contentType exact, or a prefix when it ends with '/'; empty: any
 * @param successActionStatus the status S3 answers a good upload with; empty: S3's 204
 */
public record UploadConditions(
    long minSize,
    long maxSize,
    Optional<String> contentType,
    Optional<Integer> successActionStatus) {

  /** S3's limit for one POST upload: 5 GiB. */
  public static final long MAX_POST_SIZE = 5L * 1024 * 1024 * 1024;

  /** Whether the content type is a prefix the uploader completes (image/ allows image/png). */
  public boolean contentTypeIsPrefix() {
    return contentType.filter(type -> type.endsWith("/")).isPresent();
  }
}
