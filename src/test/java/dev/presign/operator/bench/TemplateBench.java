package dev.presign.operator.bench;

import com.sun.management.ThreadMXBean;
import dev.presign.operator.template.SecretDataTemplates;
import dev.presign.operator.template.TemplateValues;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cost of secretTemplate.data: parsing the README's two recipes (what every reconcile's validation
 * does) and rendering them with one URL (what every Secret write does). Prints figures; asserts
 * nothing. Run: {@code ./mvnw -Pbench test -Dtest=TemplateBench}.
 */
class TemplateBench {

  private static final Map<String, String> RECIPES =
      Map.of(
          "config.json",
          "{\"export\": {\"url\": {{#json}}{{ url }}{{/json}}, \"validUntil\": \"{{ expiresAt }}\"}}",
          "download.sh",
          "#!/bin/sh\nexec curl -fsS -o /work/nightly.csv {{#shell}}{{ url }}{{/shell}}\n");

  private static final TemplateValues VALUES =
      new TemplateValues(
          "https://acme-reports.s3.eu-west-1.amazonaws.com/exports/nightly.csv?X-Amz-Algorithm="
              + "AWS4-HMAC-SHA256&X-Amz-Date=20261207T100000Z&X-Amz-SignedHeaders=host"
              + "&X-Amz-Credential=AKIAEXAMPLE%2F20261207%2Feu-west-1%2Fs3%2Faws4_request"
              + "&X-Amz-Expires=3600&X-Amz-Signature="
              + "0123456789abcdef".repeat(4),
          Instant.parse("2026-12-07T11:00:00Z"),
          Instant.parse("2026-12-07T10:00:00Z"),
          "GET",
          "acme-reports",
          "exports/nightly.csv",
          "eu-west-1",
          Map.of());

  @Test
  void parsingAndRendering() {
    measure("parse two templates", 20_000, () -> SecretDataTemplates.parse(RECIPES, false));
    SecretDataTemplates templates = SecretDataTemplates.parse(RECIPES, false);
    measure("render two templates", 20_000, () -> templates.render(VALUES, 1 << 20));
  }

  private static void measure(String name, int operations, Runnable operation) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < operations; i++) {
      operation.run(); // warm-up
    }
    for (int round = 1; round <= 3; round++) {
      long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
      long start = System.nanoTime();
      for (int i = 0; i < operations; i++) {
        operation.run();
      }
      long nanos = System.nanoTime() - start;
      long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
      System.out.printf(
          "BENCH templates, %s, round %d: %.1f µs each, %,d bytes allocated each%n",
          name, round, nanos / 1000.0 / operations, allocated / operations);
    }
  }
}
