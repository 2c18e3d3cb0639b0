package dev.presign.operator.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts S3Proxy for a {@code @QuarkusTest} and hands its key pair to the operator through the AWS
 * SDK's default chain (system properties). With the init argument {@code operator-keys=false} the
 * operator gets no keys: its identity comes from elsewhere (OperatorIrsaResource).
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

  public static final String OPERATOR_KEYS = "operator-keys";

  private static S3ProxyServer server;
  private boolean operatorKeys = true;

  /** The running server of the current test class. */
  public static S3ProxyServer server() {
    if (server == null) {
      throw new IllegalStateException("S3ProxyResource is not started");
    }
    return server;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    operatorKeys = Boolean.parseBoolean(initArgs.getOrDefault(OPERATOR_KEYS, "true"));
  }

  @Override
  public Map<String, String> start() {
    try {
      server = S3ProxyServer.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (operatorKeys) {
      System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY_ID);
      System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_ACCESS_KEY);
    }
    return Map.of("presign.region", S3ProxyServer.REGION);
  }

  @Override
  public void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
