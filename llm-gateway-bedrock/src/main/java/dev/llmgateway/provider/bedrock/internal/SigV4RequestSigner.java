package dev.llmgateway.provider.bedrock.internal;

import dev.llmgateway.spi.Secret;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs a request with AWS Signature Version 4, using the AWS SDK's own signer
 * ({@link AwsV4HttpSigner} from {@code http-auth-aws}) rather than a hand-written one: canonicalization
 * has enough corner cases (path double-encoding, header folding) that the reference implementation is
 * the safer choice.
 *
 * <p>What is signed: the method, the URL exactly as it will be sent (its encoded path is signed as AWS
 * services other than S3 expect, each segment encoded once more), the headers given (typically
 * {@code content-type}, {@code accept} and any extra headers), {@code host}, and the SHA-256 of the body.
 * The signer adds {@code Authorization}, {@code X-Amz-Date}, {@code x-amz-content-sha256}, {@code Host}
 * and, with temporary credentials, {@code X-Amz-Security-Token}; {@link #sign} returns every header of
 * the signed request, to be sent as they are.
 *
 * <p>The secret key and session token are revealed only to build the SDK's credentials object for a
 * signing; {@link #toString()} shows the region, the service and whether a session token is used, nothing more.
 * Thread-safe.
 */
public final class SigV4RequestSigner {
  private final String accessKeyId;
  private final Secret secretAccessKey;
  private final @Nullable Secret sessionToken;
  private final String region;
  private final String signingName;
  private final Clock clock;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * @param accessKeyId the AWS access key id
   * @param secretAccessKey the matching secret access key
   * @param sessionToken the session token of temporary credentials; null for long-term keys
   * @param region the region the request is signed for, e.g. {@code us-east-1}
   * @param signingName the service name in the credential scope, {@code bedrock} for Bedrock Runtime
   * @param clock the time of the signature ({@code X-Amz-Date})
   */
  public SigV4RequestSigner(String accessKeyId, Secret secretAccessKey, @Nullable Secret sessionToken,
      String region, String signingName, Clock clock) {
    this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
    this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    this.sessionToken = sessionToken;
    this.region = Objects.requireNonNull(region, "region");
    this.signingName = Objects.requireNonNull(signingName, "signingName");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The region requests are signed for. */
  public String region() {
    return region;
  }

  /** Whether temporary credentials (with a session token) are used. */
  public boolean hasSessionToken() {
    return sessionToken != null;
  }

  /**
   * Signs a request and returns every header to send: the given ones plus those the signature adds.
   *
   * @param method the HTTP method, e.g. {@code POST}
   * @param url the URL exactly as it will be sent
   * @param headers headers to sign and send
   * @param body the exact body bytes
   */
  public Map<String, List<String>> sign(String method, HttpUrl url, Map<String, String> headers,
      byte[] body) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(method))
        .protocol(url.scheme())
        .host(url.host())
        .port(url.port())
        .encodedPath(url.encodedPath());
    for (int i = 0; i < url.querySize(); i++) {
      String value = url.queryParameterValue(i);
      request.appendRawQueryParameter(url.queryParameterName(i), value != null ? value : "");
    }
    headers.forEach(request::putHeader);
    AwsCredentialsIdentity identity = sessionToken == null
        ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey.reveal())
        : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey.reveal(),
            sessionToken.reveal());
    SdkHttpRequest unsigned = request.build();
    SignedRequest signed = signer.sign(r -> r
        .identity(identity)
        .request(unsigned)
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, signingName)
        .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    return signed.request().headers();
  }

  @Override
  public String toString() {
    return "SigV4RequestSigner[region=" + region + ", service=" + signingName + ", sessionToken="
        + (sessionToken != null) + "]";
  }
}
