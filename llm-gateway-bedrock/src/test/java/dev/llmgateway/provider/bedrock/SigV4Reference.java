package dev.llmgateway.provider.bedrock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small, independent SigV4 implementation for tests (JDK crypto only), checked against AWS's
 * published test-suite vectors, then used to verify what the production code (the AWS SDK's signer)
 * put on the wire. Covers what the adapter needs: no query string, a path whose segments are encoded
 * once more, as services other than S3 sign them.
 */
public final class SigV4Reference {
  private SigV4Reference() {}

  /** Canonical request, string to sign and signature of one request. */
  public record Signed(String canonicalRequest, String stringToSign, String signature) {}

  /**
   * @param encodedPath the path as sent on the wire
   * @param headers the signed headers: lower-case name to value
   */
  public static Signed sign(String method, String encodedPath, Map<String, String> headers,
      byte[] body, String amzDate, String region, String service, String secretKey) {
    TreeMap<String, String> sorted = new TreeMap<>();
    headers.forEach((k, v) -> sorted.put(k.toLowerCase(Locale.ROOT), v.strip()));
    String canonicalHeaders = sorted.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue() + "\n").collect(Collectors.joining());
    String signedHeaders = String.join(";", sorted.keySet());
    String canonicalRequest = method + "\n" + doubleEncodePath(encodedPath) + "\n" + "\n"
        + canonicalHeaders + "\n" + signedHeaders + "\n" + sha256Hex(body);
    String date = amzDate.substring(0, 8);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = HexFormat.of().formatHex(hmac(key, stringToSign));
    return new Signed(canonicalRequest, stringToSign, signature);
  }

  /** Each segment of an already-encoded path, encoded once more ({@code %} becomes {@code %25}). */
  static String doubleEncodePath(String encodedPath) {
    StringBuilder sb = new StringBuilder();
    for (byte b : encodedPath.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
          || c == '.' || c == '_' || c == '~' || c == '/') {
        sb.append((char) c);
      } else {
        sb.append(String.format("%%%02X", c));
      }
    }
    return sb.toString();
  }

  public static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The parts of an {@code Authorization: AWS4-HMAC-SHA256 ...} header. */
  public record Authorization(String accessKeyId, String date, String region, String service,
      List<String> signedHeaders, String signature) {

    public static Authorization parse(String header) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, "
              + "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})").matcher(header);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a SigV4 Authorization header: " + header);
      }
      return new Authorization(m.group(1), m.group(2), m.group(3), m.group(4),
          List.of(m.group(5).split(";")), m.group(6));
    }
  }
}
