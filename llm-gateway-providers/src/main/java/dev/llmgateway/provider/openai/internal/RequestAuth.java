package dev.llmgateway.provider.openai.internal;

import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.spi.Secret;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * How a Chat Completions-shaped API is authenticated: which header carries which credential. OpenAI and
 * the compatible servers take {@code Authorization: Bearer <key>}; Azure OpenAI takes {@code api-key: <key>}
 * or {@code Authorization: Bearer <Entra token>}. Keys rotate per call through {@link KeyRotation}.
 *
 * <p>Implementations are thread-safe and never show a credential in {@link Object#toString()}.
 */
public interface RequestAuth {

  /**
   * Adds the credential for one call to {@code request}.
   *
   * @param context provider and model, for the exception when no credential can be had
   * @throws AuthenticationException when a token supplier fails or returns nothing
   */
  void apply(Request.Builder request, ErrorContext context);

  /**
   * Every credential this may send, as far as it knows (the keys, the last token), so that a provider
   * message echoing one can be scrubbed.
   */
  Collection<Secret> secrets();

  /** Sends no credential: a local server started without a key. */
  static RequestAuth none() {
    return header("Authorization", "Bearer ", new KeyRotation(List.of()));
  }

  /** {@code Authorization: Bearer <key>}, the keys used in turn; none sent when there are none. */
  static RequestAuth bearer(KeyRotation keys) {
    return header("Authorization", "Bearer ", keys);
  }

  /**
   * {@code <name>: <prefix><key>}, the keys used in turn; nothing is sent when there are none.
   *
   * @param name the header, e.g. {@code api-key}
   * @param prefix written before the key, e.g. {@code "Bearer "}, or empty
   */
  static RequestAuth header(String name, String prefix, KeyRotation keys) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(keys, "keys");
    return new RequestAuth() {
      @Override
      public void apply(Request.Builder request, ErrorContext context) {
        Secret key = keys.next();
        if (key != null) {
          request.header(name, prefix + key.reveal());
        }
      }

      @Override
      public Collection<Secret> secrets() {
        return keys.keys();
      }

      @Override
      public String toString() {
        return "RequestAuth[" + name + ", " + keys + "]";
      }
    };
  }

  /**
   * {@code Authorization: Bearer <token>} with a token asked of {@code tokens} on every call, e.g. a
   * Microsoft Entra ID token whose supplier caches and refreshes it.
   */
  static RequestAuth bearerToken(Supplier<String> tokens) {
    Objects.requireNonNull(tokens, "tokens");
    AtomicReference<@Nullable Secret> last = new AtomicReference<>();
    return new RequestAuth() {
      @Override
      public void apply(Request.Builder request, ErrorContext context) {
        String token;
        try {
          token = tokens.get();
        } catch (RuntimeException e) {
          // the supplier's exception may describe the credential source; keep only its kind
          throw new AuthenticationException("the token supplier of " + context.provider()
              + " failed: " + e.getClass().getSimpleName(), context, null);
        }
        if (token == null || token.isBlank()) {
          throw new AuthenticationException("the token supplier of " + context.provider()
              + " returned no token", context, null);
        }
        Secret secret = Secret.of(token.strip());
        last.set(secret);
        request.header("Authorization", "Bearer " + secret.reveal());
      }

      @Override
      public Collection<Secret> secrets() {
        Secret s = last.get();
        return s == null ? List.of() : List.of(s);
      }

      @Override
      public String toString() {
        return "RequestAuth[Authorization, token supplier]";
      }
    };
  }
}
