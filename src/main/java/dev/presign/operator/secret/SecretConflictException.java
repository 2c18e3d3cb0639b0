package dev.presign.operator.secret;

/** The target Secret exists and belongs to someone else; the operator leaves it alone (R5). */
public class SecretConflictException extends RuntimeException {

  public SecretConflictException(String message) {
    super(message);
  }
}
