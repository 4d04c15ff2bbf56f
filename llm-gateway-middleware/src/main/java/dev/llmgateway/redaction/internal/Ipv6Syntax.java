package dev.llmgateway.redaction.internal;

/**
 * A strict IPv6 text parser (RFC 4291 section 2.2), without {@code InetAddress}, which would resolve
 * host names: eight groups of one to four hex digits, at most one {@code ::} standing for one or more
 * zero groups, and an optional trailing dotted IPv4 address counting as two groups. Zone ids and
 * prefix lengths are not part of the address.
 */
public final class Ipv6Syntax {
  private Ipv6Syntax() {}

  public static boolean isAddress(CharSequence s, int start, int end) {
    int len = end - start;
    if (len < 2 || len > 45) {
      return false;
    }
    int doubleColon = -1;
    for (int i = start; i + 1 < end; i++) {
      if (s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
        if (doubleColon >= 0) {
          return false;
        }
        doubleColon = i;
        i++;
      }
    }
    int groups;
    if (doubleColon < 0) {
      groups = groups(s, start, end, true);
      return groups == 8;
    }
    int left = doubleColon == start ? 0 : groups(s, start, doubleColon, false);
    int right = doubleColon + 2 == end ? 0 : groups(s, doubleColon + 2, end, true);
    if (left < 0 || right < 0) {
      return false;
    }
    return left + right <= 7;
  }

  /** The number of 16-bit groups in {@code s[start, end)}, colon-separated, or -1 when malformed. */
  private static int groups(CharSequence s, int start, int end, boolean ipv4TailAllowed) {
    int count = 0;
    int groupStart = start;
    for (int i = start; i <= end; i++) {
      if (i == end || s.charAt(i) == ':') {
        int g = i - groupStart;
        if (g == 0) {
          return -1;
        }
        boolean last = i == end;
        if (last && ipv4TailAllowed && contains(s, groupStart, i, '.')) {
          if (!isIpv4(s, groupStart, i)) {
            return -1;
          }
          count += 2;
        } else {
          if (g > 4) {
            return -1;
          }
          for (int k = groupStart; k < i; k++) {
            if (!isHex(s.charAt(k))) {
              return -1;
            }
          }
          count++;
        }
        groupStart = i + 1;
      }
    }
    return count;
  }

  static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean contains(CharSequence s, int start, int end, char c) {
    for (int i = start; i < end; i++) {
      if (s.charAt(i) == c) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code s[start, end)} is a dotted-quad IPv4 address without leading zeros. */
  public static boolean isIpv4(CharSequence s, int start, int end) {
    int parts = 0;
    int i = start;
    while (i <= end) {
      int partStart = i;
      int value = 0;
      while (i < end && Character.isDigit(s.charAt(i)) && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
        if (i - partStart > 3) {
          return false;
        }
      }
      int digits = i - partStart;
      if (digits == 0 || value > 255 || (digits > 1 && s.charAt(partStart) == '0')) {
        return false;
      }
      parts++;
      if (i == end) {
        break;
      }
      if (s.charAt(i) != '.') {
        return false;
      }
      i++;
    }
    return parts == 4;
  }
}
