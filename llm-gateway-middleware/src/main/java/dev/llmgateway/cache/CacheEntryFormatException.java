package dev.llmgateway.cache;

/**
 * Bytes that {@link CacheEntryCodec} cannot read: another format version or corruption. A store that
 * meets one should treat the entry as missing (and may delete it); it never reaches a caller.
 */
public final class CacheEntryFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CacheEntryFormatException(String message) {
    super(message);
  }
}
