package dev.presign.cli;

/** What {@code kubectl presign} exits with: 0 only when it did what was asked. */
public final class ExitCode {

  /** Done; every link shown is Ready, every rotation waited for was handled. */
  public static final int OK = 0;

  /**
   * Something is wrong: a link not Ready, a rotation not handled in time, a request the API server
   * refused, a finding of {@code check}.
   */
  public static final int FAILED = 1;

  /** The command line could not be understood (picocli's usage errors). */
  public static final int USAGE = 2;

  private ExitCode() {}

  /** FAILED when any of the outcomes failed, else OK. */
  public static int worst(boolean anyFailed) {
    return anyFailed ? FAILED : OK;
  }
}
