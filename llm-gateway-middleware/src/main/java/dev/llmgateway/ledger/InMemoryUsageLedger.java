package dev.llmgateway.ledger;

import dev.llmgateway.gateway.internal.Check;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link UsageLedger} in this JVM's memory, bounded: it keeps the latest {@code capacity} records and
 * drops the oldest beyond that ({@link #evicted()} counts them), so queries over old ranges see only what
 * is still held. A record takes a few hundred bytes, so the default of {@value #DEFAULT_CAPACITY} records
 * stays within tens of megabytes.
 *
 * <p>It is the default because it needs nothing, and it is right for tests, development and for
 * queries over recent traffic. For durable accounting, export every record with a
 * {@link UsageRecordListener}, or use a ledger backed by a database.
 *
 * <p>Thread-safe: recording takes a short write lock, querying a read lock; no record is lost or counted
 * twice.
 */
public final class InMemoryUsageLedger implements UsageLedger {
  /** How many records are kept by default: {@value}. */
  public static final int DEFAULT_CAPACITY = 100_000;

  private final int capacity;
  private final ArrayDeque<UsageRecord> records = new ArrayDeque<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private long evicted;

  private InMemoryUsageLedger(int capacity) {
    Check.that(capacity > 0, "capacity must be > 0, was " + capacity);
    this.capacity = capacity;
  }

  /** A ledger keeping the latest {@value #DEFAULT_CAPACITY} records. */
  public static InMemoryUsageLedger create() {
    return new InMemoryUsageLedger(DEFAULT_CAPACITY);
  }

  /** A ledger keeping the latest {@code capacity} records. */
  public static InMemoryUsageLedger withCapacity(int capacity) {
    return new InMemoryUsageLedger(capacity);
  }

  public int capacity() {
    return capacity;
  }

  @Override
  public void record(UsageRecord record) {
    Check.nonNull(record, "record");
    lock.writeLock().lock();
    try {
      records.addLast(record);
      if (records.size() > capacity) {
        records.removeFirst();
        evicted++;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public List<UsageTotals> query(UsageQuery query) {
    Check.nonNull(query, "query");
    lock.readLock().lock();
    try {
      return query.aggregate(records);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The records held, oldest first. */
  public List<UsageRecord> records() {
    lock.readLock().lock();
    try {
      return List.copyOf(new ArrayList<>(records));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many records are held. */
  public int size() {
    lock.readLock().lock();
    try {
      return records.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many records were dropped because the ledger was full. */
  public long evicted() {
    lock.readLock().lock();
    try {
      return evicted;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "InMemoryUsageLedger[capacity=" + capacity + "]";
  }
}
