package dev.presign.operator.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts the STS stand-in and points the AWS SDK at it the standard way (aws.endpointUrlSts). */
public class StsStandInResource implements QuarkusTestResourceLifecycleManager {

  private static final String ENDPOINT_PROPERTY = "aws.endpointUrlSts";
  private static StsStandIn sts;

  public static StsStandIn sts() {
    if (sts == null) {
      throw new IllegalStateException("StsStandInResource is not started");
    }
    return sts;
  }

  @Override
  public Map<String, String> start() {
    try {
      sts = new StsStandIn();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty(ENDPOINT_PROPERTY, sts.endpoint().toString());
    return Map.of();
  }

  @Override
  public void stop() {
    System.clearProperty(ENDPOINT_PROPERTY);
    if (sts != null) {
      sts.close();
      sts = null;
    }
  }
}
