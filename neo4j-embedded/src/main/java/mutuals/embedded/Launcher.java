package mutuals.embedded;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Starts Neo4j Community embedded with only the Bolt connector, on 127.0.0.1.
 *
 * <pre>
 * java -Xmx1g -jar launcher.jar --home DIR [--port 7687] [--page-cache 512m] [--conf key=value ...]
 * </pre>
 *
 * Authentication is on. The password of the {@code neo4j} user lives in {@code DIR/password}
 * (owner read/write only); it is generated on first start, and the file is the source of truth
 * at every start ({@link Passwords}). When Bolt is up the launcher writes {@code DIR/server.json}
 * and prints one line starting with {@code READY}. SIGTERM shuts the database down cleanly.
 */
public final class Launcher {
    static final String HOST = "127.0.0.1";
    static final int EXIT_USAGE = 64;
    static final int EXIT_PORT_IN_USE = 65;
    static final int EXIT_START_FAILED = 70;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Options opts;
        try {
            opts = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (!portIsFree(opts.port)) {
            System.err.println("error: port " + opts.port + " on " + HOST
                    + " is already in use; stop what listens there or choose another port with --port");
            System.exit(EXIT_PORT_IN_USE);
        }
        Files.createDirectories(opts.home);
        Path stateFile = opts.home.resolve("server.json");
        Files.deleteIfExists(stateFile);

        DatabaseManagementService dbms;
        Passwords passwords;
        try {
            Path conf = writeConf(opts.home, opts.settings());
            passwords = Passwords.prepare(opts.home, conf);
            dbms = new DatabaseManagementServiceBuilder(opts.home).loadPropertiesFromFile(conf).build();
        } catch (IOException | RuntimeException e) {
            System.err.println("error: Neo4j did not start: " + rootMessage(e));
            System.exit(EXIT_START_FAILED);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
                Files.deleteIfExists(stateFile);
            } catch (Exception e) {
                System.err.println("error during shutdown: " + rootMessage(e));
            } finally {
                System.out.println("STOPPED");
                System.out.flush();
                stopped.countDown();
            }
        }, "mutuals-shutdown"));

        try {
            passwords.apply(dbms);
        } catch (Exception e) {
            System.err.println("error: could not set the password: " + rootMessage(e));
            System.exit(EXIT_START_FAILED);
        }
        String uri = "bolt://" + HOST + ":" + opts.port;
        long pid = ProcessHandle.current().pid();
        String json = "{\"uri\": \"" + uri + "\", \"port\": " + opts.port + ", \"pid\": " + pid
                + ", \"username\": \"neo4j\", \"password_file\": \""
                + jsonEscape(opts.home.resolve("password").toAbsolutePath().toString()) + "\"}\n";
        Path tmp = opts.home.resolve("server.json.tmp");
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("READY " + uri + " pid=" + pid);
        System.out.flush();
        stopped.await();
    }

    /** Writes the settings of this start to DIR/conf/neo4j.conf (regenerated each start) and returns its path. */
    static Path writeConf(Path home, Map<String, String> settings) throws IOException {
        Path dir = Files.createDirectories(home.resolve("conf"));
        StringBuilder sb = new StringBuilder("# written by the mutuals launcher at each start; use --conf key=value to add settings\n");
        settings.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Path conf = dir.resolve("neo4j.conf");
        Files.writeString(conf, sb.toString(), StandardCharsets.UTF_8);
        return conf;
    }

    static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (BindException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Command-line options. */
    static final class Options {
        static final String USAGE = "usage: launcher --home DIR [--port N] [--page-cache SIZE] [--conf key=value ...]";
        Path home;
        int port = 7687;
        String pageCache = "512m";
        final Map<String, String> extra = new LinkedHashMap<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--home" -> o.home = Path.of(v).toAbsolutePath();
                    case "--port" -> {
                        try {
                            o.port = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--port must be a number, got " + v);
                        }
                        if (o.port < 1 || o.port > 65535) {
                            throw new IllegalArgumentException("--port must be between 1 and 65535");
                        }
                    }
                    case "--page-cache" -> o.pageCache = v;
                    case "--conf" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--conf takes key=value, got " + v);
                        }
                        o.extra.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.home == null) {
                throw new IllegalArgumentException("--home is required");
            }
            return o;
        }

        Map<String, String> settings() {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("server.bolt.enabled", "true");
            s.put("server.bolt.listen_address", HOST + ":" + port);
            s.put("server.bolt.advertised_address", HOST + ":" + port);
            s.put("server.bolt.tls_level", "DISABLED");
            s.put("server.default_listen_address", HOST);
            s.put("dbms.security.auth_enabled", "true");
            s.put("server.memory.pagecache.size", pageCache);
            s.put("dbms.usage_report.enabled", "false");
            s.put("db.transaction.timeout", "0s");
            s.putAll(extra);
            return s;
        }
    }
}
