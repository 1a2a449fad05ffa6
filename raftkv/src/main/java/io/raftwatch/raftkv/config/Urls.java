package io.raftwatch.raftkv.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Parses etcd's comma-separated URL lists, naming the flag and the bad URL on error. */
final class Urls {
  private Urls() {}

  static List<URI> parseList(String text, String origin) throws ConfigException {
    List<URI> urls = new ArrayList<>();
    for (String part : text.split(",")) {
      urls.add(parse(part, origin));
    }
    return List.copyOf(urls);
  }

  static URI parse(String text, String origin) throws ConfigException {
    String s = text.trim();
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new ConfigException(origin + ": \"" + s + "\" is not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ConfigException(origin + ": \"" + s + "\" is not an http(s) URL");
    }
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new ConfigException(origin + ": \"" + s + "\" needs a host and a port");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
      throw new ConfigException(origin + ": \"" + s + "\" must not have a path");
    }
    return uri;
  }
}
