package io.trademesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * A directory a benchmark tool writes a store into and may later replace: marked by a file when made, so that a tool
 * never deletes a directory it did not make, whatever {@code --dir} it is given.
 */
public final class ToolDirectory {

    private ToolDirectory() {
    }

    /**
     * Empties {@code dir} for a fresh write: a new directory is made, one this tool made before (it holds
     * {@code marker}) is deleted and made again, any other is refused (false, with a message saying so).
     */
    public static boolean prepare(Path dir, String marker, String tool) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.exists(dir.resolve(marker))) {
                System.err.println(dir + " exists and was not made by " + tool + ": name a new directory");
                return false;
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(marker));
        return true;
    }
}
