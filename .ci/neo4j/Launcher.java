import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Embedded Neo4j Community for the test suite, run as a single-file program:
 * {@code java -cp <classpath> Launcher.java <dataDir> <port>} (start.sh adds the JVM flags).
 *
 * <p>Prints exactly one {@code NEO4J READY bolt://127.0.0.1:<port>} line on stdout once the default
 * database is available and Bolt accepts connections; everything else goes to stderr. Stops cleanly on
 * SIGTERM/SIGINT or when stdin closes, so a test runner that dies without cleaning up never leaves an
 * orphan server holding its port.
 */
public final class Launcher {
  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  public static void main(String[] args) {
    int port = args.length == 2 ? parsePort(args[1]) : -1;
    if (port < 0) {
      System.err.println("usage: java -cp <classpath> Launcher.java <dataDir> <port 1-65535>");
      System.exit(64);
    }
    try {
      run(Path.of(args[0]).toAbsolutePath(), port);
    } catch (Throwable e) {
      // Bolt's I/O threads are not daemons: without an explicit exit a failed start would hang forever.
      e.printStackTrace();
      System.exit(70);
    }
  }

  private static void run(Path dataDir, int port) throws InterruptedException {
    DatabaseManagementService service = build(dataDir, port);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean(false);
    Runnable stop = () -> {
      if (stopping.compareAndSet(false, true)) {
        System.err.println("neo4j launcher: shutting down");
        service.shutdown();
        stopped.countDown();
      }
    };
    // The JVM runs shutdown hooks on SIGTERM, SIGINT and System.exit; without it the store needs recovery.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.run();
      awaitQuietly(stopped);
    }, "neo4j-shutdown"));
    watchStdin(stop);

    GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    boolean ready = db.isAvailable(READY_TIMEOUT.toMillis()) && boltAccepts(port);
    if (stopping.get()) {
      throw new IllegalStateException("asked to stop (stdin closed or signal) before it was ready");
    }
    if (!ready) {
      throw new IllegalStateException("default database or Bolt not available within " + READY_TIMEOUT);
    }
    System.out.println("NEO4J READY bolt://" + HOST + ":" + port);
    System.out.flush();
    stopped.await();
    System.exit(0);
  }

  private static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text);
      return port >= 1 && port <= 65_535 ? port : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static DatabaseManagementService build(Path dataDir, int port) {
    return new DatabaseManagementServiceBuilder(dataDir)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
        .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        .setConfig(GraphDatabaseSettings.strict_config_validation, false)
        .setConfig(GraphDatabaseSettings.udc_enabled, false)
        // A throwaway test store: keep memory and disk small on a 2-core CI machine.
        .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
        .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
        // Bolt otherwise waits 5 s twice for (already closed) connections and threads, doubling a test run's
        // teardown for nothing.
        .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
        .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
        .build();
  }

  private static boolean boltAccepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 5_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The parent keeps stdin open for as long as it wants the server; EOF means it is gone. */
  private static void watchStdin(Runnable stop) {
    Thread watcher = new Thread(() -> {
      try {
        InputStream in = System.in;
        while (in.read() != -1) {
          // Input is ignored; only end-of-stream matters.
        }
      } catch (IOException e) {
        // A broken stdin means the parent is gone too.
      }
      stop.run();
    }, "neo4j-stdin-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Launcher() {}
}
