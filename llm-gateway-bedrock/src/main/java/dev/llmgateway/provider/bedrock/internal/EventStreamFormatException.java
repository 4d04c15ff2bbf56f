package dev.llmgateway.provider.bedrock.internal;

/**
 * A frame of an AWS event stream is not well formed: a CRC does not match, a length is impossible, or a
 * header is cut short or of an unknown type. Unchecked, and deliberately not an {@link java.io.IOException}:
 * a corrupt frame is a malformed response, not a transport failure. The message describes the frame's
 * structure only, never its payload.
 */
public final class EventStreamFormatException extends RuntimeException {

  public EventStreamFormatException(String message) {
    super(message);
  }
}
