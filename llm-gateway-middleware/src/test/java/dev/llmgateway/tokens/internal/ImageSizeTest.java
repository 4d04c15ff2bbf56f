package dev.llmgateway.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ContentPart;
import dev.llmgateway.tokens.Images;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageSizeTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"png", "jpg", "gif"})
  void readsTheSizeFromTheHeader(String format) {
    byte[] bytes = Images.encode(format, 640, 480);
    assertThat(ImageSize.sniff(bytes)).isEqualTo(new ImageSize(640, 480));
    String base64 = Base64.getEncoder().encodeToString(bytes);
    assertThat(ImageSize.of(ContentPart.Image.ofBase64("image/" + format, base64)))
        .isEqualTo(new ImageSize(640, 480));
    assertThat(ImageSize.of(ContentPart.Image.ofUrl("data:image/" + format + ";base64," + base64)))
        .isEqualTo(new ImageSize(640, 480));
  }

  @Test
  void readsAnExtendedWebpHeader() {
    byte[] webp = new byte[30];
    System.arraycopy("RIFF".getBytes(), 0, webp, 0, 4);
    System.arraycopy("WEBPVP8X".getBytes(), 0, webp, 8, 8);
    // canvas width - 1 = 1999 and height - 1 = 999, 24-bit little endian at 24 and 27
    webp[24] = (byte) (1999 & 0xFF);
    webp[25] = (byte) (1999 >> 8);
    webp[27] = (byte) (999 & 0xFF);
    webp[28] = (byte) (999 >> 8);
    assertThat(ImageSize.sniff(webp)).isEqualTo(new ImageSize(2000, 1000));
  }

  @Test
  void knowsNothingOfImagesByUrlOrUnreadableBytes() {
    assertThat(ImageSize.of(ContentPart.Image.ofUrl("https://example.test/cat.png"))).isNull();
    assertThat(ImageSize.of(ContentPart.Image.ofBase64("image/png", "bm90IGFuIGltYWdl"))).isNull();
    assertThat(ImageSize.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).isNull();
  }
}
