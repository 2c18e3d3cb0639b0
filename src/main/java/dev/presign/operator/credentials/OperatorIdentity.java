package dev.presign.operator.credentials;

import dev.presign.operator.credentials.WebIdentitySessions.Holder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The operator's own AWS identity (DESIGN §4), found as the SDK's default chain finds it.
 *
 * <p>With IRSA (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, and no static keys before them in the
 * chain) the operator exchanges the projected token at STS itself, as the chain would, so that it
 * can take a fresh session whenever the cached one would cut a URL short (R2); the chain's own
 * cache refreshes only minutes before expiry. Anything else (EKS Pod Identity, environment,
 * profile) goes through the default chain, whose credentials still cap the URL's lifetime.
 */
@ApplicationScoped
public class OperatorIdentity {

  /** The chain's order: static keys from system properties or the environment come first. */
  record WebIdentity(String roleArn, Path tokenFile, String sessionName) {
    static Optional<WebIdentity> fromSdkSettings() {
      if (SdkSystemSetting.AWS_ACCESS_KEY_ID.getStringValue().isPresent()) {
        return Optional.empty();
      }
      Optional<String> roleArn = SdkSystemSetting.AWS_ROLE_ARN.getStringValue();
      Optional<String> tokenFile = SdkSystemSetting.AWS_WEB_IDENTITY_TOKEN_FILE.getStringValue();
      if (roleArn.isEmpty() || tokenFile.isEmpty()) {
        return Optional.empty();
      }
      String sessionName =
          SdkSystemSetting.AWS_ROLE_SESSION_NAME.getStringValue().orElse("presign-operator");
      return Optional.of(
          new WebIdentity(
              roleArn.get().trim(),
              Path.of(tokenFile.get().trim()),
              WebIdentitySessions.sessionName(sessionName)));
    }
  }

  private static final String DESCRIPTION = "the operator's identity";

  private final Optional<WebIdentity> webIdentity;
  private final WebIdentitySessions sessions;
  private final DefaultCredentialsProvider chain;

  @Inject
  public OperatorIdentity(WebIdentitySessions sessions) {
    this(WebIdentity.fromSdkSettings(), sessions);
  }

  OperatorIdentity(Optional<WebIdentity> webIdentity, WebIdentitySessions sessions) {
    this.webIdentity = webIdentity;
    this.sessions = sessions;
    // Built even with IRSA, so that it is never null; it resolves nothing until asked.
    this.chain = DefaultCredentialsProvider.builder().build();
  }

  /**
   * Credentials for a URL that should work for {@code lifetime}, and at least {@code renewBefore}.
   */
  SigningCredentials credentials(Duration lifetime, Duration renewBefore) {
    if (webIdentity.isPresent()) {
      WebIdentity irsa = webIdentity.get();
      return sessions.credentials(
          new Holder(irsa.roleArn(), irsa.sessionName(), DESCRIPTION),
          lifetime,
          renewBefore,
          () -> token(irsa.tokenFile()));
    }
    try {
      AwsCredentials credentials = chain.resolveCredentials();
      return new SigningCredentials(credentials, credentials.expirationTime(), DESCRIPTION);
    } catch (SdkException e) {
      throw new CredentialsUnavailableException(
          "the operator's own AWS identity is not available: " + e.getMessage(), e);
    }
  }

  /** The kubelet rotates the projected token: it is read again for every session. */
  private static String token(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new CredentialsUnavailableException(
          "cannot read the operator's web identity token "
              + file
              + " (AWS_WEB_IDENTITY_TOKEN_FILE): "
              + e,
          e);
    }
  }

  @PreDestroy
  void close() {
    chain.close();
  }
}
