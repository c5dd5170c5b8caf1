package dev.junction.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;

/**
 * Copies the write-ahead log back into the database file on a thread of its own. SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold, on the writer thread, so every write
 * queued behind that commit waited for it: 1-2 ms with the file in memory, a flush to disk with
 * {@code synchronous=NORMAL}. A passive checkpoint here runs beside the writer and takes no lock the
 * writer needs; the writer only counts its batches and, every {@link #EVERY}, says one is due.
 */
final class WalCheckpointer {
  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
  /** Write batches between checkpoints: a few hundred to a few thousand pages of log at this store's commit sizes. */
  static final int EVERY = 64;

  private final Connection connection;
  private final Semaphore due = new Semaphore(0);
  private final Thread thread;
  private volatile boolean stopping;
  /** Batches since the last request; the writer thread's alone. */
  private int batches;

  /** @param connection a connection of its own to the store's file, closed by {@link #close} */
  WalCheckpointer(Connection connection) {
    this.connection = connection;
    this.thread = new Thread(this::run, "junction-sqlite-checkpoint");
    thread.setDaemon(true);
    thread.start();
  }

  /** Called by the writer thread after each committed batch. */
  void committed() {
    if (++batches >= EVERY) {
      batches = 0;
      due.release();
    }
  }

  private void run() {
    while (true) {
      try {
        due.acquire();
      } catch (InterruptedException e) {
        Thread.interrupted();
        continue;
      }
      due.drainPermits();
      if (stopping) {
        return;
      }
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
        if (rs.next() && LOG.isDebugEnabled()) {
          LOG.debug("checkpoint: {} of {} log pages in the database file", rs.getLong(3), rs.getLong(2));
        }
      } catch (SQLException e) {
        LOG.warn("write-ahead log checkpoint failed; the next one retries: {}", e.toString());
      }
    }
  }

  /** Stops the thread (after a checkpoint in progress) and closes its connection. */
  void close() {
    stopping = true;
    due.release();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the checkpoint connection: {}", e.toString());
    }
  }
}
