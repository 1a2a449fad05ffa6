package io.raftwatch.collector.health;

import java.util.Optional;

/**
 * One member as the check's last scrape saw it. Immutable.
 *
 * @param member the member's name in the config
 * @param instance host:port of its metrics endpoint
 * @param up whether the last scrape succeeded
 * @param leader {@code etcd_server_is_leader}; empty when the member did not say (or is down)
 * @param hasLeader {@code etcd_server_has_leader}; empty when the member did not say (or is down)
 * @param error why the last scrape failed; empty when up
 */
public record MemberStatus(String member, String instance, boolean up, Optional<Boolean> leader,
    Optional<Boolean> hasLeader, Optional<String> error) {}
