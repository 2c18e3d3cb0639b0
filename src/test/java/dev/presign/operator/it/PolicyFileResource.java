package dev.presign.operator.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives the operator a policy file, as the chart mounts one from a ConfigMap, and lets a test
 * rewrite it. The operator reads it again every 200 ms here instead of every 10 s.
 */
public class PolicyFileResource implements QuarkusTestResourceLifecycleManager {

  /** The policy the operator starts with. */
  public static final String INITIAL =
      """
      rules:
        - namespaces: ["team-*"]
          buckets: ["shared-*"]
          keyPrefixes: ["${namespace}/"]
          methods: [GET]
          maxExpiresIn: 2h
        - namespaceSelector:
            matchLabels: {presign.dev/links: allowed}
          buckets: ["shared-*"]
      """;

  private static Path file;

  public static void write(String yaml) {
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<String, String> start() {
    try {
      file = Files.createTempFile("presign-policy", ".yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(INITIAL);
    return Map.of(
        "presign.policy-file", file.toString(), "presign.policy-reload-interval", "200ms");
  }

  @Override
  public void stop() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
