package dev.presign.operator.bench;

import com.sun.management.ThreadMXBean;
import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.signing.SigningRequest;
import dev.presign.operator.signing.UploadConditions;
import dev.presign.operator.signing.UrlSigner;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * Cost of signing one URL, with the presigner reused (as the operator does) and built anew per URL
 * (what reuse saves), and of one POST form (its policy and signature, and its action, which the
 * presigner addresses). Prints figures; asserts nothing. Run: {@code ./mvnw -Pbench test}.
 */
class SigningBench {

  private static final AwsBasicCredentials KEYS =
      AwsBasicCredentials.create("AKIAEXAMPLE", "secret");

  private static SigningRequest request(int i) {
    return request(i, HttpMethod.GET, Optional.empty());
  }

  /** A form for uploads of up to 10 MiB of images, the uploader naming the file. */
  private static SigningRequest form(int i) {
    return request(
        i,
        HttpMethod.POST,
        Optional.of(new UploadConditions(1, 10 << 20, Optional.of("image/"), Optional.of(201))));
  }

  private static SigningRequest request(
      int i, HttpMethod method, Optional<UploadConditions> upload) {
    return new SigningRequest(
        "acme-reports",
        "reports/" + i + (method == HttpMethod.POST ? "/${filename}" : ".csv"),
        method,
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        null,
        Optional.empty(),
        upload);
  }

  @Test
  void signing() {
    UrlSigner reused = new UrlSigner(Optional.of("eu-west-1"), Clock.systemUTC());
    measure("reused presigner", 20_000, i -> reused.sign(request(i), KEYS, Duration.ofHours(1)));
    measure("POST form", 20_000, i -> reused.sign(form(i), KEYS, Duration.ofHours(1)));
    measure(
        "presigner per URL",
        500,
        i -> {
          UrlSigner fresh = new UrlSigner(Optional.of("eu-west-1"), Clock.systemUTC());
          fresh.sign(request(i), KEYS, Duration.ofHours(1));
        });
  }

  private static void measure(String name, int operations, IntConsumer operation) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < operations; i++) {
      operation.accept(i); // warm-up
    }
    for (int round = 1; round <= 3; round++) {
      long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
      long start = System.nanoTime();
      for (int i = 0; i < operations; i++) {
        operation.accept(i);
      }
      long nanos = System.nanoTime() - start;
      long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
      System.out.printf(
          "BENCH signing, %s, round %d: %.1f µs/URL, %,d URLs/s, %,d bytes allocated/URL%n",
          name,
          round,
          nanos / 1000.0 / operations,
          (long) (operations / (nanos / 1e9)),
          allocated / operations);
    }
  }
}
