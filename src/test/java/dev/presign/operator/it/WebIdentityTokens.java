package dev.presign.operator.it;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Tokens shaped like the API server's ServiceAccount tokens (a JWT with a subject), as the STS
 * stand-in receives them; the stand-in does not check signatures, so none is made.
 */
public final class WebIdentityTokens {

  private WebIdentityTokens() {}

  /** A token of the ServiceAccount {@code namespace/name}, for audience sts.amazonaws.com. */
  public static String of(String namespace, String name) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String payload =
        "{\"sub\":\"system:serviceaccount:%s:%s\",\"aud\":[\"sts.amazonaws.com\"]}"
            .formatted(namespace, name);
    return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + ".signature";
  }

  /** The subject of a token, e.g. system:serviceaccount:team-a:reader. */
  public static String subject(String token) {
    String payload =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    return payload.replaceFirst(".*\"sub\":\"([^\"]+)\".*", "$1");
  }
}
