package dev.latchkey.bench.dpop;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One persistent HTTP/1.1 connection on a plain socket, one request at a time (what wrk does per
 * connection): the load generator's cost per request is a write and a parse of the answer's head,
 * the same for every server. Reads {@code Content-Length} and chunked bodies; reconnects when the
 * server closes.
 */
final class HttpConnection implements AutoCloseable {
  private final URI url;
  private final String head;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  /** The head and body of the last answer other than 200, for the error message. */
  String lastBody = "";

  /** For {@code GET url}, the request line and Host header, to which each call adds its own. */
  HttpConnection(URI url) {
    this.url = url;
    this.head =
        "GET "
            + url.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + url.getHost()
            + ":"
            + url.getPort()
            + "\r\n";
  }

  /** Sends GET with the given extra header lines (each ending in CRLF); returns the status. */
  int get(String headers) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
      socket.setSoTimeout(30_000);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }
    out.write((head + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = readLine();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    StringBuilder heads = new StringBuilder(status);
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      if (code != 200) {
        heads.append('\n').append(h);
      }
      String lower = h.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    ByteArrayOutputStream body = code == 200 ? null : new ByteArrayOutputStream();
    if (chunked) {
      for (long size = Long.parseLong(readLine().trim(), 16);
          size > 0;
          size = Long.parseLong(readLine().trim(), 16)) {
        read(size, body);
        readLine();
      }
      while (!readLine().isEmpty()) {
        // trailers
      }
    } else if (length > 0) {
      read(length, body);
    }
    if (body != null) {
      lastBody = heads + "\n\n" + body.toString(StandardCharsets.UTF_8);
    }
    if (close) {
      close();
    }
    return code;
  }

  private void read(long n, ByteArrayOutputStream keep) throws IOException {
    for (long i = 0; i < n; i++) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in a body");
      }
      if (keep != null) {
        keep.write(b);
      }
    }
  }

  private String readLine() throws IOException {
    line.reset();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // gone already
      }
      socket = null;
    }
  }
}
