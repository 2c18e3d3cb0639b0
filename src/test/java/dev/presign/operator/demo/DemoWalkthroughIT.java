package dev.presign.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command as a person sees it: the packaged operator against the embedded API
 * and S3Proxy. It needs the jar, so failsafe runs it after the package phase.
 */
class DemoWalkthroughIT {

  private static final Pattern LISTENING =
      Pattern.compile("Listening on (http://127\\.0\\.0\\.1:\\d+)");

  @Test
  void demoShowsEachStepWorkingAndExitsZero() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    int status =
        Demo.run(Demo.Options.defaults(), new PrintStream(printed, true, StandardCharsets.UTF_8));

    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.print(output);
    assertThat(status).as("exit status").isZero();
    assertThat(output)
        .contains("Plain HTTP GET of the URL, no credentials: 200 OK")
        .containsPattern("Plain HTTP PUT of \\d+ bytes .* 200 OK")
        .contains("Read back from S3")
        .containsPattern("curl -F style POST of picture.png, 1024 bytes .*: 201; stored as")
        .contains("one over maxSize 10Mi: 400 EntityTooLarge")
        .contains("x-amz-signature: REDACTED")
        .containsPattern("old URL \\(valid until [0-9:]+ UTC\\): GET -> 200")
        .containsPattern("new URL \\(valid until [0-9:]+ UTC\\): GET -> 200")
        .containsPattern("NAMESPACE +NAME +BUCKET +KEY +METHOD +READY +EXPIRES +RENEWAL +AGE")
        .containsPattern(" GET +True +20[0-9-]+T[0-9:]+Z ")
        .containsPattern(" PUT +True +20[0-9-]+T[0-9:]+Z ")
        .containsPattern(" POST +True +20[0-9-]+T[0-9:]+Z ")
        .containsPattern("short-lived-link .* GET +True +20[0-9-]+T[0-9:]+Z ")
        .endsWith("Demo finished: every step worked.\n");
    // The URL is a bearer credential: shown, but never with its signature (rule R6).
    assertThat(output)
        .contains("X-Amz-Signature=REDACTED")
        .doesNotContainPattern("X-Amz-Signature=(?!REDACTED)");
    List<URI> servers =
        LISTENING.matcher(output).results().map(match -> URI.create(match.group(1))).toList();
    assertThat(servers).as("the embedded API and S3Proxy").hasSize(2);
    assertThat(servers).as("stopped at the end").noneMatch(DemoWalkthroughIT::listening);
  }

  @Test
  void missingOperatorJarIsNamedAndTheExitStatusIsNotZero() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Path missing = Path.of("target", "no-such-operator.jar");

    int status =
        Demo.run(
            Demo.Options.defaults().withOperatorJar(missing),
            new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(status).isEqualTo(1);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("FAILED")
        .contains(missing + " does not exist; build it first with ./mvnw package");
  }

  private static boolean listening(URI server) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 500);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
