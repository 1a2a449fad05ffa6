package io.raftwatch.raftkv.membership;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;

/**
 * One member of the cluster as etcd describes it: its Raft attributes (peer URLs, learner) fixed by
 * configuration changes, and its attributes (name, client URLs) published by the member itself once
 * it runs. A member added but not started yet has an empty name and no client URLs. Immutable.
 */
public record Member(
    long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {

  public Member {
    peerUrls = List.copyOf(peerUrls);
    clientUrls = List.copyOf(clientUrls);
  }

  /** A member known by its id alone, as a removal names it. */
  public static Member ofId(long id) {
    return new Member(id, "", List.of(), List.of(), false);
  }

  /** Whether the member published its attributes, i.e. ran (etcd's {@code IsStarted}). */
  public boolean started() {
    return !name.isEmpty();
  }

  public Member withPeerUrls(List<String> urls) {
    return new Member(id, name, urls, clientUrls, learner);
  }

  public Member withAttributes(String newName, List<String> urls) {
    return new Member(id, newName, peerUrls, urls, learner);
  }

  public Member asVoter() {
    return new Member(id, name, peerUrls, clientUrls, false);
  }

  /** The etcd API's form, as MemberList answers it. */
  public io.etcd.jetcd.api.Member toProto() {
    return io.etcd.jetcd.api.Member.newBuilder()
        .setID(id)
        .setName(name)
        .addAllPeerURLs(peerUrls)
        .addAllClientURLs(clientUrls)
        .setIsLearner(learner)
        .build();
  }

  public static Member fromProto(io.etcd.jetcd.api.Member m) {
    return new Member(
        m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList(), m.getIsLearner());
  }

  /** The bytes a configuration change and the members bucket carry: the etcd API's protobuf. */
  public byte[] encode() {
    return toProto().toByteArray();
  }

  /** IllegalArgumentException naming the problem when {@code data} is not an encoded member. */
  public static Member decode(byte[] data) {
    try {
      return fromProto(io.etcd.jetcd.api.Member.parseFrom(data));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("member record is not valid protobuf", e);
    }
  }
}
