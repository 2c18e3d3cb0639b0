package dev.presign.operator.config;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** The operator's region: presign.region, else the AWS SDK's region chain, else us-east-1. */
public final class DefaultRegion {

  private DefaultRegion() {}

  public static Region of(Optional<String> configured) {
    return Region.of(configured.orElseGet(DefaultRegion::fromSdk));
  }

  private static String fromSdk() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (SdkException e) {
      return Region.US_EAST_1.id();
    }
  }
}
