package dev.presign.operator.validation;

/** A spec the operator cannot act on; the message starts with the offending field. */
public class InvalidSpecException extends RuntimeException {

  public InvalidSpecException(String field, String problem) {
    this(field + ": " + problem);
  }

  /** A message already naming its fields, such as the problems of a lenient read. */
  InvalidSpecException(String message) {
    super(message);
  }
}
