package dev.presign.operator.policy;

/** The policy file cannot be read or is malformed; the message names the file and the line. */
public class PolicyFileException extends RuntimeException {

  public PolicyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
