package dev.presign.operator.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server on 127.0.0.1 that answers every request as S3 answers a ranged GET of an object
 * (206, one byte) and records what it was asked, so that tests count the operator's requests.
 */
public final class RangeStandIn implements AutoCloseable {

  /** A request as received: method, path and Range header. */
  public record Request(String method, String path, String range) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public RangeStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Range")));
          exchange.getResponseHeaders().add("Content-Range", "bytes 0-0/1");
          exchange.sendResponseHeaders(206, 1);
          exchange.getResponseBody().write('x');
          exchange.close();
        });
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The requests for paths starting with {@code prefix} (a bucket, say). */
  public List<Request> requests(String prefix) {
    return requests.stream().filter(r -> r.path().startsWith(prefix)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
