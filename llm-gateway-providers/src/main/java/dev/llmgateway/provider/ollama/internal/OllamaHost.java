package dev.llmgateway.provider.ollama.internal;

import org.jspecify.annotations.Nullable;

/**
 * Turns an {@code OLLAMA_HOST}-style value into a base URL, the way the Ollama CLI reads that variable,
 * so that the gateway talks to the same server as {@code ollama run}:
 *
 * <ul>
 *   <li>surrounding spaces and quotes are dropped;
 *   <li>a value with a scheme ({@code http://...}, {@code https://...}) is a URL and is used as it is,
 *       less trailing slashes (the CLI's default ports for those schemes, 80 and 443, are the URL's own);
 *   <li>without a scheme, {@code http} is assumed and the port defaults to 11434 ({@code 0.0.0.0} gives
 *       {@code http://0.0.0.0:11434}, {@code gpu-box:8080} gives {@code http://gpu-box:8080}); an empty
 *       host means {@code 127.0.0.1}, a port that is not a number from 0 to 65535 is replaced by 11434,
 *       a bare IPv6 address is bracketed, and a path after the host is kept.
 * </ul>
 *
 * <p>Returns null for a blank value, so that the caller falls back to its default.
 */
public final class OllamaHost {

  /** The port Ollama listens on by default. */
  public static final int DEFAULT_PORT = 11434;

  private OllamaHost() {}

  /** The base URL {@code value} stands for, without a trailing slash; null when it is blank. */
  public static @Nullable String toBaseUrl(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String s = strip(value);
    if (s.isEmpty()) {
      return null;
    }
    if (s.contains("://")) {
      return stripTrailingSlashes(s);
    }
    String hostPort = s;
    String path = "";
    int slash = s.indexOf('/');
    if (slash >= 0) {
      hostPort = s.substring(0, slash);
      path = s.substring(slash);
    }
    String host;
    String port;
    int colon = hostPort.lastIndexOf(':');
    boolean bracketed = hostPort.startsWith("[");
    boolean hasPort = colon >= 0 && (!bracketed || hostPort.lastIndexOf(']') < colon)
        && (bracketed || hostPort.indexOf(':') == colon);
    if (hasPort) {
      host = hostPort.substring(0, colon);
      port = hostPort.substring(colon + 1);
    } else {
      host = hostPort;
      port = Integer.toString(DEFAULT_PORT);
    }
    if (host.isEmpty()) {
      host = "127.0.0.1";
    } else if (!bracketed && host.indexOf(':') >= 0) {
      host = "[" + host + "]"; // a bare IPv6 address
    }
    if (!isPort(port)) {
      port = Integer.toString(DEFAULT_PORT);
    }
    return stripTrailingSlashes("http://" + host + ":" + port + path);
  }

  private static String stripTrailingSlashes(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  private static boolean isPort(String port) {
    if (port.isEmpty() || port.length() > 5) {
      return false;
    }
    for (int i = 0; i < port.length(); i++) {
      if (!Character.isDigit(port.charAt(i))) {
        return false;
      }
    }
    return Integer.parseInt(port) <= 65535;
  }

  private static String strip(String value) {
    String s = value.strip();
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == '"' || s.charAt(start) == '\'')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == '"' || s.charAt(end - 1) == '\'')) {
      end--;
    }
    return s.substring(start, end).strip();
  }
}
