package dev.llmgateway.provider.bedrock;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ChatProviderFactory;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@link BedrockChatProvider}s from gateway settings; found through
 * {@link java.util.ServiceLoader} under the name {@code bedrock}.
 *
 * <p>Region: the option {@value #OPTION_REGION}, else the environment variable {@value #REGION_ENV},
 * else {@value #DEFAULT_REGION_ENV} (the names the AWS CLI and SDKs read). It is required unless the
 * settings give a {@code baseUrl} and a Bedrock API key is used.
 *
 * <p>Credentials, the first that applies:
 * <ol>
 *   <li>the keys of {@link ProviderSettings#apiKeys()}: Bedrock API keys, sent as
 *       {@code Authorization: Bearer};
 *   <li>the environment variable {@value #BEARER_TOKEN_ENV}: a Bedrock API key (the variable the AWS
 *       SDKs read for it; it wins over AWS keys in the environment, as in the SDKs, because it is
 *       specific to Bedrock);
 *   <li>{@value #ACCESS_KEY_ID_ENV} and {@value #SECRET_ACCESS_KEY_ENV}, plus {@value #SESSION_TOKEN_ENV}
 *       for temporary credentials: SigV4 signing.
 * </ol>
 * Only one of the access key id and secret set, or none of the above, fails with
 * {@link LlmConfigurationException} naming the variables. Environment variables are read through
 * {@link ProviderSettings#environment()}. Other AWS credential sources (profiles, SSO, instance roles)
 * are not read: this module deliberately depends on the AWS signer only; resolve such credentials in the
 * host and pass them to {@link BedrockChatProvider.Builder#credentials}.
 *
 * <p>Also taken from the settings: {@code baseUrl}, extra headers, the gateway's shared HTTP client and
 * mapper. An unknown option fails, naming the known ones, so that a typo does not pass silently.
 */
public final class BedrockProviderFactory implements ChatProviderFactory {

  /** Option: the AWS region. */
  public static final String OPTION_REGION = "region";

  /** The environment variable holding the region. */
  public static final String REGION_ENV = "AWS_REGION";

  /** The environment variable holding the region when {@value #REGION_ENV} is not set. */
  public static final String DEFAULT_REGION_ENV = "AWS_DEFAULT_REGION";

  /** The environment variable holding the AWS access key id. */
  public static final String ACCESS_KEY_ID_ENV = "AWS_ACCESS_KEY_ID";

  /** The environment variable holding the AWS secret access key. */
  public static final String SECRET_ACCESS_KEY_ENV = "AWS_SECRET_ACCESS_KEY";

  /** The environment variable holding the session token of temporary AWS credentials. */
  public static final String SESSION_TOKEN_ENV = "AWS_SESSION_TOKEN";

  /** The environment variable holding a Bedrock API key. */
  public static final String BEARER_TOKEN_ENV = "AWS_BEARER_TOKEN_BEDROCK";

  private static final Set<String> OPTIONS = new TreeSet<>(List.of(OPTION_REGION));

  @Override
  public Set<String> names() {
    return Set.of(BedrockChatProvider.DEFAULT_PROVIDER_NAME);
  }

  @Override
  public ChatProvider create(ProviderSettings settings) {
    for (String option : settings.options().keySet()) {
      if (!OPTIONS.contains(option)) {
        throw new LlmConfigurationException("unknown option '" + option + "' for provider "
            + settings.name() + "; known options: " + OPTIONS);
      }
    }
    Function<String, @Nullable String> env = settings.environment();
    BedrockChatProvider.Builder builder = BedrockChatProvider.builder()
        .providerName(settings.name())
        .resources(settings.resources())
        .headers(settings.headers());
    String region = firstNonBlank(settings.option(OPTION_REGION), env.apply(REGION_ENV),
        env.apply(DEFAULT_REGION_ENV));
    if (region != null) {
      builder.region(region);
    }
    if (settings.baseUrl() != null) {
      builder.baseUrl(settings.baseUrl());
    }
    String bearer = firstNonBlank(env.apply(BEARER_TOKEN_ENV));
    String accessKeyId = firstNonBlank(env.apply(ACCESS_KEY_ID_ENV));
    String secretAccessKey = firstNonBlank(env.apply(SECRET_ACCESS_KEY_ENV));
    if (!settings.apiKeys().isEmpty()) {
      builder.apiKeys(settings.apiKeys());
    } else if (bearer != null) {
      builder.apiKey(Secret.of(bearer));
    } else if (accessKeyId != null && secretAccessKey != null) {
      String sessionToken = firstNonBlank(env.apply(SESSION_TOKEN_ENV));
      builder.credentials(accessKeyId, Secret.of(secretAccessKey),
          sessionToken != null ? Secret.of(sessionToken) : null);
    } else if (accessKeyId != null || secretAccessKey != null) {
      throw new LlmConfigurationException("incomplete AWS credentials for provider " + settings.name()
          + ": " + (accessKeyId == null ? ACCESS_KEY_ID_ENV : SECRET_ACCESS_KEY_ENV)
          + " is not set (both " + ACCESS_KEY_ID_ENV + " and " + SECRET_ACCESS_KEY_ENV
          + " are needed)");
    } else {
      throw new LlmConfigurationException("no credentials for provider " + settings.name()
          + ": set " + ACCESS_KEY_ID_ENV + " and " + SECRET_ACCESS_KEY_ENV + " (and "
          + SESSION_TOKEN_ENV + " for temporary credentials), or " + BEARER_TOKEN_ENV
          + ", or give the provider an API key");
    }
    if (region == null && settings.baseUrl() == null) {
      throw new LlmConfigurationException("no region for provider " + settings.name()
          + ": set the option '" + OPTION_REGION + "' or the environment variable " + REGION_ENV
          + " or " + DEFAULT_REGION_ENV);
    }
    return builder.build();
  }

  private static @Nullable String firstNonBlank(@Nullable String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }
}
