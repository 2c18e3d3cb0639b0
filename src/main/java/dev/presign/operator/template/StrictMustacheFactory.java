package dev.presign.operator.template;

import com.github.mustachejava.Binding;
import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.DefaultCode;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.reflect.AbstractObjectHandler;
import com.github.mustachejava.util.Wrapper;
import dev.presign.operator.template.TemplateException.Position;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * mustache.java, made strict for one template of secretTemplate.data: the parser's callbacks accept
 * only values a template may see and the sections of {@link Escaping}, and refuse everything that
 * would read more (partials, inheritance, pragmas). Values are looked up in one map of strings, by
 * their whole name: no reflection, no method of any object is ever called. Nothing is HTML-escaped.
 *
 * <p>One factory per template: it tracks where the parser is in the template's text, so that an
 * error names the line and column of its tag (mustache.java itself knows only the line).
 */
final class StrictMustacheFactory extends DefaultMustacheFactory {

  /** A name a template may not use, found while rendering (a form field the link lacks). */
  static final class UnknownValue extends RuntimeException {
    private final transient Position position;

    UnknownValue(String message, Position position) {
      super(message);
      this.position = position;
    }

    Position position() {
      return position;
    }
  }

  private final String key;
  private final String text;
  private final boolean formFields;
  private final TrackingReader reader;
  // Where each section's body starts (just after its opening tag), to place errors on that tag.
  private final Map<Mustache, Integer> bodies = new IdentityHashMap<>();
  private final Deque<Integer> openSections = new ArrayDeque<>();

  StrictMustacheFactory(String key, String text, boolean formFields) {
    this.key = key;
    this.text = text;
    this.formFields = formFields;
    this.reader = new TrackingReader(text);
    setObjectHandler(new LookupByName());
  }

  Mustache compile() {
    return compile(reader, key);
  }

  /** No partials and no template inheritance: a template reads no file and no resource. */
  @Override
  public Reader getReader(String resourceName) {
    throw fail(lastTag(), "a template may not include another ({{> " + resourceName + "}})");
  }

  /** Nothing is HTML-escaped: a Secret is not a web page, and a URL's & must stay &. */
  @Override
  public void encode(String value, Writer writer) {
    try {
      writer.write(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public MustacheVisitor createMustacheVisitor() {
    // The parser makes a visitor for the whole template and one for each section's body, just
    // after it read the section's opening tag.
    int body = reader.position();
    openSections.push(body);
    return new StrictVisitor(body);
  }

  /** The opening tag of the innermost section not closed yet. */
  Optional<Position> openSection() {
    return openSections.size() > 1
        ? Optional.of(tagBefore(openSections.peek(), "{{"))
        : Optional.empty();
  }

  /** The tag the parser read last. */
  Optional<Position> lastTag() {
    return Optional.of(tagBefore(reader.position(), "{{"));
  }

  /** The position of the opening delimiter of the tag that ends at or before {@code end}. */
  private Position tagBefore(int end, String startDelimiter) {
    int start = text.lastIndexOf(startDelimiter, Math.max(0, end - 3));
    // {{{ name }}}: the tag starts at the first of the three braces.
    while (start > 0 && text.startsWith(startDelimiter + "{", start - 1)) {
      start--;
    }
    return SecretDataTemplates.position(text, Math.max(start, 0));
  }

  private TemplateException fail(Optional<Position> at, String problem) {
    return new TemplateException(key, at, problem);
  }

  private String known() {
    return Stream.concat(
            TemplateValues.NAMES.stream(),
            formFields
                ? Stream.of(TemplateValues.FIELDS, TemplateValues.FIELD_PREFIX + "<name>")
                : Stream.empty())
        .collect(Collectors.joining(", "));
  }

  private final class StrictVisitor extends DefaultMustacheVisitor {
    private final int body;

    StrictVisitor(int body) {
      super(StrictMustacheFactory.this);
      this.body = body;
    }

    @Override
    public Mustache mustache(TemplateContext context) {
      Mustache mustache = super.mustache(context);
      bodies.put(mustache, body);
      openSections.pop();
      return mustache;
    }

    @Override
    public void value(TemplateContext context, String variable, boolean encoded) {
      Position at = tagBefore(reader.position(), context.startChars());
      checkValueName(variable, at);
      list.add(new CheckedValue(context, variable, at));
    }

    private void checkValueName(String name, Position at) {
      if (TemplateValues.NAMES.contains(name)) {
        return;
      }
      boolean field =
          name.equals(TemplateValues.FIELDS) || name.startsWith(TemplateValues.FIELD_PREFIX);
      if (field && !formFields) {
        throw fail(Optional.of(at), "'" + name + "': only POST links have form fields");
      }
      if (field && !name.equals(TemplateValues.FIELD_PREFIX)) {
        return; // which fields a form has is known when it is signed
      }
      if (Escaping.named(name).isPresent()) {
        throw fail(
            Optional.of(at),
            "'" + name + "' is an escaping: write {{#" + name + "}}{{ url }}{{/" + name + "}}");
      }
      throw fail(Optional.of(at), "unknown value '" + name + "'; a template may use " + known());
    }

    @Override
    public void iterable(TemplateContext context, String variable, Mustache mustache) {
      Position at = tagBefore(bodies.get(mustache), context.startChars());
      Escaping escaping =
          Escaping.named(variable)
              .orElseThrow(
                  () ->
                      fail(
                          Optional.of(at),
                          "{{#"
                              + variable
                              + "}}: a section may only escape what it holds: "
                              + Stream.of(Escaping.values())
                                  .map(Escaping::section)
                                  .collect(Collectors.joining(", "))));
      list.add(new EscapingCode(context, mustache, variable, escaping));
    }

    @Override
    public void notIterable(TemplateContext context, String variable, Mustache mustache) {
      throw refused(bodies.get(mustache), context, "{{^" + variable + "}}: inverted sections");
    }

    @Override
    public void partial(TemplateContext context, String variable, String indent) {
      throw refused(reader.position(), context, "{{> " + variable + "}}: partials");
    }

    @Override
    public void dynamicPartial(TemplateContext context, String variable, String indent) {
      throw refused(reader.position(), context, "{{> " + variable + "}}: partials");
    }

    @Override
    public void extend(TemplateContext context, String variable, Mustache mustache) {
      throw refused(bodies.get(mustache), context, "{{< " + variable + "}}: inheritance");
    }

    @Override
    public void name(TemplateContext context, String variable, Mustache mustache) {
      throw refused(bodies.get(mustache), context, "{{$" + variable + "}}: blocks");
    }

    @Override
    public void checkName(TemplateContext context, String variable, Mustache mustache) {
      throw refused(bodies.get(mustache), context, "{{?" + variable + "}}: blocks");
    }

    @Override
    public void pragma(TemplateContext context, String pragma, String args) {
      throw refused(reader.position(), context, "{{%" + pragma + "}}: pragmas");
    }

    private TemplateException refused(int end, TemplateContext context, String what) {
      return fail(
          Optional.of(tagBefore(end, context.startChars())),
          what + " are not allowed in a Secret template (logic-less: values and escapings only)");
    }
  }

  /** A value tag: the name was checked at parse time; a form field is checked when rendered. */
  private final class CheckedValue extends ValueCode {
    private final Position at;

    CheckedValue(TemplateContext context, String variable, Position at) {
      super(context, StrictMustacheFactory.this, variable, false);
      this.at = at;
    }

    @Override
    public Writer execute(Writer writer, List<Object> scopes) {
      if (!((Map<?, ?>) scopes.get(0)).containsKey(name)) {
        throw new UnknownValue("this POST form has no field '" + name + "'", at);
      }
      return super.execute(writer, scopes);
    }
  }

  /** {{#json}}...{{/json}}: renders its body, then writes it escaped. */
  private final class EscapingCode extends DefaultCode {
    private final Escaping escaping;

    EscapingCode(TemplateContext context, Mustache body, String variable, Escaping escaping) {
      super(context, StrictMustacheFactory.this, body, variable, "#");
      this.escaping = escaping;
    }

    @Override
    public Writer execute(Writer writer, List<Object> scopes) {
      BoundedWriter body = new BoundedWriter(((BoundedWriter) writer).budget().fresh());
      run(body, scopes);
      try {
        writer.write(escaping.apply(body.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return appendText(writer);
    }
  }

  /** Looks a name up, whole, in the map of values: nothing else is reachable. */
  private static final class LookupByName extends AbstractObjectHandler {
    @Override
    public Wrapper find(String name, List<Object> scopes) {
      return values -> ((Map<?, ?>) values.get(0)).get(name);
    }

    @Override
    public Binding createBinding(String name, TemplateContext context, Code code) {
      return scopes -> ((Map<?, ?>) scopes.get(0)).get(name);
    }
  }

  /** Reads the template's text and says how far the parser has read. */
  private static final class TrackingReader extends Reader {
    private final String text;
    private int position;
    private int mark;

    TrackingReader(String text) {
      this.text = text;
    }

    int position() {
      return position;
    }

    @Override
    public int read() {
      return position < text.length() ? text.charAt(position++) : -1;
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      if (position >= text.length()) {
        return -1;
      }
      int count = Math.min(length, text.length() - position);
      text.getChars(position, position + count, buffer, offset);
      position += count;
      return count;
    }

    @Override
    public boolean markSupported() {
      return true;
    }

    @Override
    public void mark(int readAheadLimit) {
      mark = position;
    }

    @Override
    public void reset() {
      position = mark;
    }

    @Override
    public void close() {}
  }
}
