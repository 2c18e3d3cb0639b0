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
    // A hanging stand-in holds each call this long: tests of outages need not wait 5 s per call.
    return Map.of("presign.sts.timeout", "1s");
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
