package io.raftwatch.collector.manifests;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where one member's scraped listener is, as an EndpointSlice lists it: an IPv4 or IPv6 literal,
 * or a DNS name (addressType FQDN). Made by {@link ClusterManifests} on its thread.
 *
 * @param addressType {@code IPv4}, {@code IPv6} or {@code FQDN}, as discovery.k8s.io/v1 spells it
 * @param address the IP literal (IPv6 without brackets) or the lower-cased host name
 * @param port the listener's port
 */
record MemberAddress(String addressType, String address, int port) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  static MemberAddress of(URI listener) {
    String host = listener.getHost();
    int port = listener.getPort() != -1 ? listener.getPort()
        : "https".equals(listener.getScheme()) ? 443 : 80;
    if (host.startsWith("[")) {
      return new MemberAddress("IPv6", host.substring(1, host.length() - 1), port);
    }
    if (host.indexOf(':') >= 0) {
      return new MemberAddress("IPv6", host, port);
    }
    if (IPV4.matcher(host).matches()) {
      return new MemberAddress("IPv4", host, port);
    }
    return new MemberAddress("FQDN", host.toLowerCase(Locale.ROOT), port);
  }
}
