package dev.srr;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packages stand on floors, and a package imports only packages on the floors below it (the root package,
 * {@code dev.srr} with the error type, is the ground). A sub-package stands on its parent's floor
 * ({@code compute.tornado} is compute, {@code bench.tornado} is bench). Reads the sources of both roots, the
 * default one and the TornadoVM one, as text: imports and fully qualified names.
 */
class PackageFloorsTest {
    /** Top to bottom. rank is model-free: it stands below model, so it can use io, tensor and the root alone. */
    static final List<String> FLOORS = List.of("cli", "serve", "hub", "bench", "respond", "eval", "features", "data", "engine", "compute",
            "tokenizer", "model", "rank", "io", "tensor");
    static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("src/tornado/java"));
    private static final Pattern PACKAGE = Pattern.compile("^package dev\\.srr((?:\\.[a-z]\\w*)*);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.srr\\.([a-z]\\w*)\\.(?:[a-z]\\w*\\.)*[A-Z]");

    @Test
    void noPackageImportsOneAboveIt() throws IOException {
        List<String> upward = new ArrayList<>();
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    String text = withoutComments(Files.readString(file));
                    int floor = floor(file, text);
                    Matcher m = REFERENCE.matcher(text);
                    TreeSet<String> above = new TreeSet<>();
                    while (m.find()) {
                        int other = FLOORS.indexOf(m.group(1));
                        if (other >= 0 && other < floor) above.add(m.group(1));
                    }
                    if (!above.isEmpty()) upward.add(root.relativize(file) + " imports " + String.join(", ", above));
                }
            }
        }
        assertEquals(List.of(), upward, "imports from a lower floor to a higher one (floors, top to bottom: " + FLOORS + ")");
    }

    /** The file's floor: its first package name under dev.srr, which must be one of the floors; the root is below all. */
    private static int floor(Path file, String text) {
        Matcher p = PACKAGE.matcher(text);
        if (!p.find()) throw new AssertionError(file + ": no package dev.srr...");
        if (p.group(1).isEmpty()) return FLOORS.size();
        String top = p.group(1).substring(1).split("\\.")[0];
        int floor = FLOORS.indexOf(top);
        if (floor < 0) throw new AssertionError(file + ": package dev.srr." + top + " stands on no floor; add it to FLOORS");
        return floor;
    }

    private static String withoutComments(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }
}
