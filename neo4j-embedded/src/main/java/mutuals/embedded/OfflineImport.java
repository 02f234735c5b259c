package mutuals.embedded;

import java.nio.file.Path;
import java.util.Arrays;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;

/**
 * Runs Neo4j's own parallel batch importer ({@code neo4j-admin database import full}, from
 * {@code org.neo4j:neo4j-import-tool}) against the embedded server's home, which must be stopped.
 *
 * <pre>
 * java -Xmx4g -cp launcher.jar mutuals.embedded.OfflineImport --home DIR database import full ... neo4j
 * </pre>
 *
 * The settings are those the launcher wrote to {@code DIR/conf/neo4j.conf}, so the store lands
 * where the embedded server looks for it. The exit code is the import tool's.
 */
public final class OfflineImport {
    private OfflineImport() {}

    public static void main(String[] args) {
        if (args.length < 3 || !args[0].equals("--home")) {
            System.err.println("usage: OfflineImport --home DIR database import full [options] DATABASE");
            System.exit(Launcher.EXIT_USAGE);
            return;
        }
        Path home = Path.of(args[1]).toAbsolutePath();
        String[] rest = Arrays.copyOfRange(args, 2, args.length);
        int code = AdminTool.execute(new ExecutionContext(home, home.resolve("conf")), rest);
        System.exit(code);
    }
}
