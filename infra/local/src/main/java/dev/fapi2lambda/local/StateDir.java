package dev.fapi2lambda.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The local state folder (default .fapi2-local/): TLS material, keys, the DynamoDB Local file. */
final class StateDir {
    private final Path root;

    StateDir(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        Files.createDirectories(this.root);
        try {
            Files.setPosixFilePermissions(this.root, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the folder keeps its inherited permissions.
        }
    }

    Path root() {
        return root;
    }

    Path file(String name) {
        return root.resolve(name);
    }

    /** Writes a secret file readable by its owner only. */
    void writeSecret(String name, String content) throws IOException {
        Path file = file(name);
        Files.writeString(file, content);
        ownerOnly(file);
    }

    /** Makes a file readable by its owner only (keys, key stores). */
    static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file keeps its inherited permissions.
        }
    }
}
