package dev.latchkey.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A free loopback port, for a server whose port another must know before either starts (the auth
 * server's CORS allow-list names the demo server's origin).
 */
public final class FreePort {
  private FreePort() {}

  /**
   * A port free now. Another process, or a server of this one bound to port 0 (an auth server, an
   * embedded database), may take it before it is bound: prefer {@link #reserve} when anything
   * starts in between.
   */
  public static int find() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port held bound until {@link Reservation#close()}, so nothing else can take it meanwhile. */
  public static Reservation reserve() {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(null);
      return new Reservation(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A held port; closing it (more than once does nothing) frees it for the server to bind next. */
  public static final class Reservation implements AutoCloseable {
    private final ServerSocket socket;

    private Reservation(ServerSocket socket) {
      this.socket = socket;
    }

    public int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
