package io.raftwatch.raftkv.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.google.protobuf.Message;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.TxnRequest;

/**
 * The etcd requests that go through Raft, each with the tag byte that names it in a {@link
 * ProposedRequest}. Tags are part of the log format: never renumber them.
 */
public enum RequestKind {
  PUT(1),
  DELETE_RANGE(2),
  TXN(3),
  COMPACTION(4),
  LEASE_GRANT(5),
  LEASE_REVOKE(6),
  ALARM(7),
  /** A member publishing its name and client URLs (etcd's attributes update). */
  MEMBER_ATTRIBUTES(20);

  final byte tag;

  RequestKind(int tag) {
    this.tag = (byte) tag;
  }

  static RequestKind ofTag(byte tag) {
    for (RequestKind k : values()) {
      if (k.tag == tag) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown proposed request tag " + tag);
  }

  /** The kind of an etcd request message; IllegalArgumentException for one not proposed. */
  public static RequestKind of(Message request) {
    if (request instanceof PutRequest) {
      return PUT;
    } else if (request instanceof DeleteRangeRequest) {
      return DELETE_RANGE;
    } else if (request instanceof TxnRequest) {
      return TXN;
    } else if (request instanceof CompactionRequest) {
      return COMPACTION;
    } else if (request instanceof LeaseGrantRequest) {
      return LEASE_GRANT;
    } else if (request instanceof LeaseRevokeRequest) {
      return LEASE_REVOKE;
    } else if (request instanceof AlarmRequest) {
      return ALARM;
    } else if (request instanceof Member) {
      return MEMBER_ATTRIBUTES;
    }
    throw new IllegalArgumentException("not a proposed request: " + request.getClass().getName());
  }

  /** Parses the request of this kind at {@code data[offset, offset + length)}, without a copy. */
  Message parse(byte[] data, int offset, int length) throws InvalidProtocolBufferException {
    Parser<? extends Message> parser = switch (this) {
      case PUT -> PutRequest.parser();
      case DELETE_RANGE -> DeleteRangeRequest.parser();
      case TXN -> TxnRequest.parser();
      case COMPACTION -> CompactionRequest.parser();
      case LEASE_GRANT -> LeaseGrantRequest.parser();
      case LEASE_REVOKE -> LeaseRevokeRequest.parser();
      case ALARM -> AlarmRequest.parser();
      case MEMBER_ATTRIBUTES -> Member.parser();
    };
    return parser.parseFrom(data, offset, length);
  }
}
