/** The collector: scrape, store, evaluate, schedule, report, render. */
package io.raftwatch.collector;
