package dev.llmgateway.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;

/**
 * Server sockets whose accepted connections have {@code TCP_NODELAY} set. Without it, the server's
 * response head and body go out as two small segments and Nagle's algorithm holds the second until the
 * client's delayed ACK (about 40 ms on Linux): every loopback call would take 40 ms, hiding everything a
 * benchmark wants to see.
 */
public final class NoDelayServerSocketFactory extends ServerSocketFactory {

  private static ServerSocket newServerSocket() throws IOException {
    return new ServerSocket() {
      @Override
      public Socket accept() throws IOException {
        Socket socket = super.accept();
        socket.setTcpNoDelay(true);
        return socket;
      }
    };
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return newServerSocket();
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    ServerSocket socket = newServerSocket();
    socket.bind(new InetSocketAddress(port));
    return socket;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    ServerSocket socket = newServerSocket();
    socket.bind(new InetSocketAddress(port), backlog);
    return socket;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
    ServerSocket socket = newServerSocket();
    socket.bind(new InetSocketAddress(address, port), backlog);
    return socket;
  }
}
