package mutuals.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.api.security.AuthToken;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;

/**
 * The password of the {@code neo4j} user: {@code DIR/password} is the source of truth at every
 * start, applied without running Cypher when it can be (a cold Cypher planner costs seconds).
 *
 * <ul>
 *   <li>A new store (no system database yet) gets it through Neo4j's initial-user file
 *       ({@code data/dbms/auth.ini}, what {@code neo4j-admin dbms set-initial-password} writes),
 *       read when the system database is created. The file is removed once the database runs.
 *   <li>An existing store is asked whether the file's password logs in (the security module,
 *       no Cypher); only when it does not (the file was edited, or the password was changed in
 *       the database) is it set by {@code ALTER USER}.
 * </ul>
 */
final class Passwords {
    private static final String USER = "neo4j";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String password;
    private final Path initialUsers;

    private Passwords(String password, Path initialUsers) {
        this.password = password;
        this.initialUsers = initialUsers;
    }

    /** Reads (or generates) DIR/password; for a new store, writes the initial-user file before Neo4j starts. */
    static Passwords prepare(Path home, Path conf) throws IOException {
        String password = readOrCreate(home.resolve("password"));
        Config config = Config.newBuilder()
                .set(GraphDatabaseSettings.neo4j_home, home.toAbsolutePath())
                .fromFile(conf)
                .build();
        Passwords passwords = new Passwords(password, CommunitySecurityModule.getInitialUserRepositoryFile(config));
        Path system = config.get(GraphDatabaseSettings.data_directory).resolve("databases").resolve("system");
        Files.deleteIfExists(passwords.initialUsers);
        if (!Files.exists(system)) {
            passwords.writeInitialUser();
        }
        return passwords;
    }

    /** Once the database runs: sets the password unless it logs in already. */
    void apply(DatabaseManagementService dbms) throws Exception {
        Files.deleteIfExists(initialUsers);
        GraphDatabaseAPI system = (GraphDatabaseAPI) dbms.database("system");
        AuthManager auth = system.getDependencyResolver().resolveDependency(AuthManager.class);
        AuthenticationResult result = auth.login(AuthToken.newBasicAuthToken(USER, password), ClientConnectionInfo.EMBEDDED_CONNECTION)
                .subject()
                .getAuthenticationResult();
        if (result == AuthenticationResult.SUCCESS) {
            return;
        }
        system.executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
    }

    private void writeInitialUser() throws IOException {
        Files.createDirectories(initialUsers.getParent());
        try (DefaultFileSystemAbstraction fs = new DefaultFileSystemAbstraction()) {
            FileUserRepository users =
                    new FileUserRepository(fs, initialUsers, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
            users.start();
            byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
            users.create(new User(USER, null, SystemGraphCredential.createCredentialForPassword(bytes, new SecureHasher()), false, false));
            users.shutdown();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("could not write the initial user file " + initialUsers + ": " + Launcher.rootMessage(e), e);
        }
        Files.setPosixFilePermissions(initialUsers, OWNER_ONLY);
    }

    /** The password of DIR/password; generated (24 random bytes, URL-safe base64) and written owner-only when absent. */
    static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
