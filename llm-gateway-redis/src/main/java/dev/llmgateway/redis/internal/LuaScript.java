package dev.llmgateway.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script from this module's resources, run with {@code EVALSHA} and, when the server does not
 * know it yet (a restart, {@code SCRIPT FLUSH}, a new replica), with {@code EVAL}, which caches it again.
 */
public final class LuaScript {
  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** The concatenation of resources {@code dev/llmgateway/redis/<names>.lua}, as one script. */
  public static LuaScript load(String... names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      String path = "/dev/llmgateway/redis/" + n + ".lua";
      try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("missing script resource " + path);
        }
        sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }
    return new LuaScript(names[names.length - 1], sb.toString());
  }

  public String name() {
    return name;
  }

  public String sha() {
    return sha;
  }

  /** Runs the script; the answer is a Long (INTEGER) or a List of Longs (MULTI). */
  public <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys,
      String... args) {
    try {
      return redis.evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      return redis.eval(source, type, keys, args);
    }
  }

  /**
   * Runs the script with binary arguments (a connection with byte-array values); the answer is a Long
   * (INTEGER) or a List of byte arrays and Longs (MULTI).
   */
  public <T> T run(RedisCommands<String, byte[]> redis, ScriptOutputType type, String[] keys,
      byte[]... args) {
    try {
      return redis.evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      return redis.eval(source, type, keys, args);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + ", " + sha + "]";
  }
}
