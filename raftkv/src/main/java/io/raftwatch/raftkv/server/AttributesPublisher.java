package io.raftwatch.raftkv.server;

import io.etcd.jetcd.api.Member;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this member's name and client URLs through Raft once it runs (etcd's {@code publish}),
 * so that MemberList shows them on every member and the member counts as started. A scheduler
 * calls {@link #run} until the publication is applied; each call proposes at most once at a time.
 */
public final class AttributesPublisher implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(AttributesPublisher.class);

  private final KvProposer proposer;
  private final Member attributes;
  private final Duration timeout;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private volatile boolean published;

  public AttributesPublisher(
      KvProposer proposer, long id, String name, List<String> clientUrls, Duration timeout) {
    this.proposer = proposer;
    this.attributes =
        Member.newBuilder().setID(id).setName(name).addAllClientURLs(clientUrls).build();
    this.timeout = timeout;
  }

  /** Whether the attributes were applied on this member. */
  public boolean published() {
    return published;
  }

  @Override
  public void run() {
    if (published || !inFlight.compareAndSet(false, true)) {
      return;
    }
    proposer.propose(attributes)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, failure) -> {
          inFlight.set(false);
          if (failure == null) {
            published = true;
            log.info("published {} {} to the cluster", attributes.getName(),
                attributes.getClientURLsList());
          }
        });
  }
}
