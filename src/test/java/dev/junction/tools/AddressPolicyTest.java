package dev.junction.tools;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class AddressPolicyTest {

  @Test
  void shouldRefuseInwardAddresses() throws Exception {
    for (String a : new String[] {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1",
        "169.254.169.254", "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fc00::1", "fd12:3456::1",
        "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:a00:1::"}) {
      assertNotNull(AddressPolicy.refusal(InetAddress.getByName(a)), a);
    }
  }

  @Test
  void shouldAllowPublicAddresses() throws Exception {
    for (String a : new String[] {"8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2606:4700:4700::1111",
        "2a00:1450:4001::200e", "2002:808:808::1"}) {
      assertNull(AddressPolicy.refusal(InetAddress.getByName(a)), a);
    }
  }
}
