package io.raftwatch.raftkv;

import java.util.Locale;
import picocli.CommandLine.IVersionProvider;

/**
 * The etcd release whose API and behaviour raftkv follows, as a member reports it: in {@code
 * /version}, in Maintenance Status (etcdctl endpoint status's VERSION) and in {@code --version}.
 */
public final class EtcdRelease implements IVersionProvider {
  /** The server version etcd 3.4.23 reports. */
  public static final String SERVER = "3.4.23";
  /** The cluster version a cluster of 3.4 members agrees on. */
  public static final String CLUSTER = "3.4.0";

  /** {@code --version}, in etcd's layout. */
  @Override
  public String[] getVersion() {
    String own = EtcdRelease.class.getPackage().getImplementationVersion();
    return new String[] {
      "raftkv Version: " + (own != null ? own : "development build"),
      "etcd API Version: " + SERVER,
      "Java Version: " + System.getProperty("java.version"),
      "OS/Arch: " + System.getProperty("os.name").toLowerCase(Locale.ROOT) + "/"
          + System.getProperty("os.arch"),
    };
  }
}
