package dev.presign.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** One run of {@code kubectl presign} in this JVM: what it printed and its exit status. */
record CliRun(int status, String out, String err) {

  /** Runs the command with {@code --kubeconfig kubeconfig} appended, as a user would type it. */
  static CliRun run(Path kubeconfig, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--kubeconfig");
    all.add(kubeconfig.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        PresignCommand.execute(
            Clock.systemUTC(),
            new PrintWriter(out),
            new PrintWriter(err),
            all.toArray(String[]::new));
    return new CliRun(status, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
