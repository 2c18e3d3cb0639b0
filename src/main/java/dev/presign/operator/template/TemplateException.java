package dev.presign.operator.template;

import java.util.Optional;

/**
 * A template of secretTemplate.data that cannot be used: it does not parse, names a value a
 * template may not see, or renders a Secret too large. The message names the key and, where the
 * template is at fault, the line and column of the tag (1-based).
 */
public class TemplateException extends RuntimeException {

  /** Where in a template: line and column, both from 1. */
  public record Position(int line, int column) {
    @Override
    public String toString() {
      return "line " + line + ", column " + column;
    }
  }

  /** The rendered keys would not fit in the room left in the Secret. */
  public static final class TooLarge extends TemplateException {
    TooLarge(String key, long room) {
      super(key, Optional.empty(), "the rendered keys would hold more than " + room + " bytes");
    }
  }

  private final String key;
  private final Optional<Position> position;
  private final String problem;

  TemplateException(String key, Optional<Position> position, String problem) {
    super("[" + key + "]: " + position.map(at -> at + ": ").orElse("") + problem);
    this.key = key;
    this.position = position;
    this.problem = problem;
  }

  /** The Secret data key whose template failed. */
  public String key() {
    return key;
  }

  public Optional<Position> position() {
    return position;
  }

  /** What is wrong, without the key and position. */
  public String problem() {
    return problem;
  }
}
