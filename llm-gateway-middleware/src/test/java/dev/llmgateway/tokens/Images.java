package dev.llmgateway.tokens;

import dev.llmgateway.ContentPart;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/** Real encoded images of a given size, for the image-token tests. */
public final class Images {
  private Images() {}

  /** The bytes of a {@code width} x {@code height} image in {@code format} (png, jpg, gif). */
  public static byte[] encode(String format, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An inline PNG image part with the given detail. */
  public static ContentPart.Image png(int width, int height, @Nullable String detail) {
    String data = Base64.getEncoder().encodeToString(encode("png", width, height));
    return new ContentPart.Image(null, data, "image/png", detail);
  }
}
