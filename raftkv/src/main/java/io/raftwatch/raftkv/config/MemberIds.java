package io.raftwatch.raftkv.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * etcd 3.4's id derivation ({@code membership.NewMember} and the cluster's {@code genID}): a
 * member's id is the first 8 bytes, big-endian, of SHA-1 over its sorted peer URLs concatenated
 * with the cluster token; the cluster id is the same over the sorted member ids' 8-byte encodings.
 */
public final class MemberIds {
  private MemberIds() {}

  public static long member(Collection<String> peerUrls, String clusterToken) {
    List<String> sorted = new ArrayList<>(peerUrls);
    sorted.sort(null);
    MessageDigest sha1 = sha1();
    for (String url : sorted) {
      sha1.update(url.getBytes(StandardCharsets.UTF_8));
    }
    sha1.update(clusterToken.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(sha1.digest()).getLong();
  }

  /**
   * The id etcd's MemberAdd gives a member: as {@link #member} with an empty cluster name followed
   * by the Unix time in seconds, so the same URLs added again later get a new id.
   */
  public static long added(Collection<String> peerUrls, Instant now) {
    return member(peerUrls, Long.toString(now.getEpochSecond()));
  }

  public static long cluster(Collection<Long> memberIds) {
    List<Long> sorted = new ArrayList<>(memberIds);
    sorted.sort(Long::compareUnsigned);
    MessageDigest sha1 = sha1();
    ByteBuffer b = ByteBuffer.allocate(8);
    for (long id : sorted) {
      sha1.update(b.clear().putLong(id).array());
    }
    return ByteBuffer.wrap(sha1.digest()).getLong();
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
