package dev.llmgateway.error;

/** {@link dev.llmgateway.ChatStream#next()} was called on a stream that had already been closed. */
public class StreamClosedException extends CallCancelledException {

  public StreamClosedException() {
    super("the stream was closed");
  }
}
