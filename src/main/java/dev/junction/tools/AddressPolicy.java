package dev.junction.tools;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Which resolved addresses web_fetch may connect to. Everything that reaches the gateway's own
 * machine, its private network or a cloud metadata service is refused: loopback, unspecified,
 * RFC 1918, carrier-grade NAT, link-local (169.254/16, where metadata services live), unique-local
 * and link-/site-local IPv6, multicast, and IPv6 forms that embed an IPv4 address.
 */
final class AddressPolicy {
  private AddressPolicy() {
  }

  /** @return why {@code a} is refused, or null when it is a public unicast address */
  static String refusal(InetAddress a) {
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      byte[] v4 = embedsIpv4(b) ? Arrays.copyOfRange(b, 12, 16) : sixToFour(b);
      if (v4 != null) {
        try {
          return refusal(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
          return "malformed address";
        }
      }
      if ((b[0] & 0xfe) == 0xfc) {
        return "unique-local address";
      }
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified address";
    }
    if (a.isLoopbackAddress()) {
      return "loopback address";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local address";
    }
    if (a.isSiteLocalAddress()) {
      return "private address";
    }
    if (a.isMulticastAddress()) {
      return "multicast address";
    }
    if (a instanceof Inet4Address) {
      byte[] b = a.getAddress();
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      if (b0 == 0) {
        return "unspecified address";
      }
      if (b0 == 100 && b1 >= 64 && b1 < 128) {
        return "carrier-grade NAT address";
      }
      if (b0 == 198 && (b1 == 18 || b1 == 19)) {
        return "benchmarking address";
      }
      if (b0 >= 240) {
        return "reserved address";
      }
    }
    return null;
  }

  /** IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 mapped forms. */
  private static boolean embedsIpv4(byte[] b) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 12; i++) {
      zeroPrefix &= b[i] == 0;
    }
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    if (nat64) {
      return true;
    }
    return zeroPrefix && !(b[15] == 1 && b[14] == 0 && b[13] == 0 && b[12] == 0) && !isAllZero(b);
  }

  /** 6to4 (2002::/16) carries an IPv4 address in bytes 2 to 5. */
  static byte[] sixToFour(byte[] b) {
    return (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02 ? Arrays.copyOfRange(b, 2, 6) : null;
  }

  private static boolean isAllZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
