package org.paperkg.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;

/**
 * paperkg's local Neo4j server: Neo4j 5.26 community, run in this JVM by neo4j-harness, with
 * Bolt on NEO4J_BOLT_HOST:NEO4J_BOLT_PORT (default 127.0.0.1:7687) and HTTP off, until the
 * process gets SIGTERM (scripts/neo4j stop), when the database shuts down cleanly.
 *
 * <p>The harness keeps its home in a throw-away folder that it deletes on close, so the data
 * and log directories are set explicitly under NEO4J_DATA_DIR: the database outlives restarts.
 * Auth is on only when KG_NEO4J_PASSWORD is set; then the user KG_NEO4J_USER (default neo4j)
 * gets that password, without the forced change on first login.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path dataDir = Path.of(env.getOrDefault("NEO4J_DATA_DIR", ".neo4j")).toAbsolutePath();
        String host = env.getOrDefault("NEO4J_BOLT_HOST", "127.0.0.1");
        int port = Integer.parseInt(env.getOrDefault("NEO4J_BOLT_PORT", "7687"));
        String pageCache = env.getOrDefault("NEO4J_PAGECACHE", "512m");
        String user = env.getOrDefault("KG_NEO4J_USER", "neo4j");
        String password = env.get("KG_NEO4J_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        Path runDir = dataDir.resolve("run");
        deleteLeftovers(runDir);
        Files.createDirectories(runDir);

        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(runDir)
                .withDisabledServer()
                .withConfig(HttpConnector.enabled, false)
                .withConfig(HttpsConnector.enabled, false)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .withConfig(GraphDatabaseSettings.data_directory, dataDir.resolve("data"))
                .withConfig(GraphDatabaseSettings.logs_directory, dataDir.resolve("logs"))
                .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                // Transaction logs: no 256 MB preallocation per database, small files, bounded history.
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .withConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(64))
                .withConfig(GraphDatabaseSettings.keep_logical_logs, "256M size")
                .withConfig(GraphDatabaseSettings.auth_enabled, auth)
                .build();

        if (auth) {
            setPassword(neo4j.databaseManagementService().database("system"), user, password);
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("paperkg-neo4j: stopping");
            neo4j.close();
            System.out.println("paperkg-neo4j: stopped");
            stopped.countDown();
        }, "paperkg-neo4j-shutdown"));

        System.out.println("paperkg-neo4j: ready " + neo4j.boltURI() + " data=" + dataDir.resolve("data")
                + " auth=" + (auth ? "on (user " + user + ")" : "off"));
        System.out.flush();
        stopped.await();
    }

    /** Give `user` the password, creating the user if needed; no change forced at first login. */
    private static void setPassword(GraphDatabaseService system, String user, String password) {
        Map<String, Object> params = Map.of("user", user, "password", password);
        system.executeTransactionally(
                "CREATE USER $user IF NOT EXISTS SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED", params);
        system.executeTransactionally(
                "ALTER USER $user SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED", params);
    }

    /** Homes of runs that were killed instead of stopped (the harness deletes its own on close). */
    private static void deleteLeftovers(Path runDir) throws Exception {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(runDir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .filter(p -> !p.equals(runDir))
                    .forEach(p -> p.toFile().delete());
        }
    }
}
