package dev.llmgateway.observe;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger with every level enabled that keeps each formatted line (and throwable) in memory. */
public final class CapturingLogger {
  public final List<String> lines = new CopyOnWriteArrayList<>();
  public final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
      new Class<?>[] {Logger.class}, (proxy, method, args) -> {
        String name = method.getName();
        if (name.startsWith("is") && name.endsWith("Enabled")) {
          return true;
        }
        if (name.equals("getName")) {
          return "capturing";
        }
        if (method.getReturnType() == void.class && args != null && args.length > 0
            && args[0] instanceof String format) {
          Object[] rest = new Object[args.length - 1];
          System.arraycopy(args, 1, rest, 0, rest.length);
          Object[] flat = rest.length == 1 && rest[0] instanceof Object[] array ? array : rest;
          var formatted = MessageFormatter.arrayFormat(format, flat);
          StringBuilder line = new StringBuilder(name).append(' ').append(formatted.getMessage());
          Throwable t = formatted.getThrowable();
          for (; t != null; t = t.getCause()) {
            line.append(" | ").append(t);
          }
          lines.add(line.toString());
        }
        return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
      });
}
