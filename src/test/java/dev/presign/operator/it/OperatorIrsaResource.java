package dev.presign.operator.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives the operator an IRSA identity as the EKS webhook does: a role ARN and a projected token
 * file, through the SDK's settings (aws.roleArn, aws.webIdentityTokenFile). Use with the STS
 * stand-in and with S3ProxyResource's {@code operator-keys=false}, since static keys come first.
 */
public class OperatorIrsaResource implements QuarkusTestResourceLifecycleManager {

  public static final String ROLE_ARN = "arn:aws:iam::111122223333:role/presign-operator";

  private static Path tokenFile;

  /** Replaces the token, as the kubelet does when it rotates the projected token. */
  public static void writeToken(String token) {
    try {
      Files.writeString(tokenFile, token);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<String, String> start() {
    try {
      tokenFile = Files.createTempFile("irsa-token", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeToken(WebIdentityTokens.of("presign-system", "presign-operator"));
    System.setProperty("aws.roleArn", ROLE_ARN);
    System.setProperty("aws.webIdentityTokenFile", tokenFile.toString());
    return Map.of();
  }

  @Override
  public void stop() {
    System.clearProperty("aws.roleArn");
    System.clearProperty("aws.webIdentityTokenFile");
    try {
      Files.deleteIfExists(tokenFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
