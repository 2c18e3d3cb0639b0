package dev.presign.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    CliRun run = new CliRun(status, out.toString(), err.toString());
    transcribe(args, run);
    return run;
  }

  /**
   * With -Dcli.transcript=FILE, each run is added to FILE as a terminal shows it, for the README.
   */
  private static void transcribe(String[] args, CliRun run) {
    String transcript = System.getProperty("cli.transcript");
    if (transcript == null) {
      return;
    }
    String text =
        "$ kubectl presign "
            + String.join(" ", args)
            + "\n"
            + run.out()
            + run.err()
            + "(exit "
            + run.status()
            + ")\n\n";
    try {
      Files.writeString(
          Path.of(transcript), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
