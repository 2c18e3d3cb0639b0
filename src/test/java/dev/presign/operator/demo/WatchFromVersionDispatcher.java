package dev.presign.operator.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mock server in mixed mode (expectations first, then CRUD), whose watches start at the
 * resourceVersion the client names, as a real API server's do. The mock sends every stored object
 * as ADDED to each new watch, whatever version it names, and an informer watches from the version
 * of the list it has just read: at a cold start with 10,000 links, the operator was sent its list a
 * second time, and the server serialized it for 2.5 s under its lock, answering no write meanwhile.
 * Here a watch from version N is sent the stored objects written after N (a real server sends every
 * event after N; the mock keeps no history, so deletions in between are not sent). A watch that
 * names no version, or version 0, starts with every object, as on a real server.
 *
 * <p>The mock keeps the replay in a private member of a package-private class, so it is replaced by
 * reflection: kubernetes-server-mock is pinned, and a change there fails every test that starts
 * this server.
 */
final class WatchFromVersionDispatcher extends Dispatcher {

  private static final Pattern WATCHED_VERSION = Pattern.compile("[?&]resourceVersion=(\\d+)");
  private static final JsonFactory JSON = new JsonFactory();

  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expected;
  private final KubernetesCrudDispatcher crud = new FromVersion();

  WatchFromVersionDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations) {
    this.expectations = expectations;
    this.expected = new MockDispatcher(expectations);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Queue<ServerResponse> answers =
        expectations.get(
            new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
    return answers != null && !answers.isEmpty()
        ? expected.dispatch(request)
        : crud.dispatch(request);
  }

  @Override
  public void shutdown() {
    expected.shutdown();
    crud.shutdown();
  }

  private static final class FromVersion extends KubernetesCrudDispatcher {

    @Override
    public MockResponse handleWatch(String path) {
      MockResponse response = super.handleWatch(path);
      Matcher version = WATCHED_VERSION.matcher(path);
      long from = version.find() ? Long.parseLong(version.group(1)) : 0;
      if (from > 0) {
        MockWatch.replayOnOpen(
            response.getWebSocketListener(), opened -> sendWrittenAfter(from, opened));
      }
      return response;
    }

    private void sendWrittenAfter(long from, Object listener) {
      List<String> written = new ArrayList<>();
      synchronized (map) {
        map.forEach(
            (attributes, json) -> {
              if (MockWatch.matches(listener, attributes)
                  && resourceVersion(json).orElse(0) > from) {
                written.add(json);
              }
            });
      }
      written.forEach(json -> MockWatch.send(listener, json));
    }
  }

  /** The mock's WatchEventsListener: its replay on open, its filter and its send. */
  private static final class MockWatch {
    private static final Field ON_OPEN;
    private static final Method ATTRIBUTE_MATCHES;
    private static final Method SEND;

    static {
      try {
        Class<?> type =
            Class.forName("io.fabric8.kubernetes.client.server.mock.WatchEventsListener");
        ON_OPEN = type.getDeclaredField("onOpenAction");
        ON_OPEN.setAccessible(true);
        ATTRIBUTE_MATCHES = type.getMethod("attributeMatches", AttributeSet.class);
        ATTRIBUTE_MATCHES.setAccessible(true);
        SEND = type.getMethod("sendWebSocketResponse", String.class, Watcher.Action.class);
        SEND.setAccessible(true);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private MockWatch() {}

    static void replayOnOpen(Object listener, Consumer<Object> onOpen) {
      try {
        ON_OPEN.set(listener, onOpen);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    static boolean matches(Object listener, AttributeSet attributes) {
      return (boolean) invoke(ATTRIBUTE_MATCHES, listener, attributes);
    }

    static void send(Object listener, String json) {
      invoke(SEND, listener, json, Watcher.Action.ADDED);
    }

    private static Object invoke(Method method, Object listener, Object... arguments) {
      try {
        return method.invoke(listener, arguments);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** metadata.resourceVersion of a stored object, read without building the object. */
  private static OptionalLong resourceVersion(String json) {
    try (JsonParser parser = JSON.createParser(json)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean metadata = "metadata".equals(parser.currentName());
        parser.nextToken();
        if (!metadata) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          parser.nextToken();
          if ("resourceVersion".equals(field)) {
            return OptionalLong.of(Long.parseLong(parser.getText()));
          }
          parser.skipChildren();
        }
        return OptionalLong.empty();
      }
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
