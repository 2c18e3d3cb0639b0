package dev.presign.operator.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for the servers the tests and the demo start, so that several runs can share a machine. */
public final class FreePort {

  private FreePort() {}

  /** A port on 127.0.0.1 that nothing listens on right now. */
  public static int onLoopback() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
