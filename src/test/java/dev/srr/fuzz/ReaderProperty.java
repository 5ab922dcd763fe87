package dev.srr.fuzz;

import dev.srr.SrrException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The property every reader of outside input keeps, checked on one fuzz input:
 * <ul>
 *   <li>only {@link SrrException} escapes, with a non-blank message; one thrown while loading a file names that
 *       file (anything else, {@link NullPointerException} to {@link OutOfMemoryError}, is a finding);</li>
 *   <li>no allocation far beyond the input's size: the reading thread allocates at most
 *       {@link #BASE_ALLOCATION} plus {@link #ALLOCATION_PER_BYTE} per input byte (measured with the JVM's
 *       per-thread allocation counter, so a 6 GB array is caught before the heap limit is);</li>
 *   <li>no hang: {@link ReaderFuzzTest} bounds each input's time (a JUnit timeout while seeds run as tests,
 *       libFuzzer's {@code -timeout} while fuzzing).</li>
 * </ul>
 * Files are written into one scratch folder per JVM (under /dev/shm when there is one), emptied before each
 * input, so readers see real paths, as users' files are.
 */
final class ReaderProperty {
    /** What any reader may allocate whatever its input: Jackson's buffers, a tokenizer's fixed tables. */
    static final long BASE_ALLOCATION = 96L << 20;
    /** Per input byte: a JSON tree and the maps built from it take tens of bytes for each byte of text. */
    static final long ALLOCATION_PER_BYTE = 512;
    /** Separates the parts of a multi-file input (a NUL byte never appears in JSON text). */
    static final byte SEPARATOR = 0;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static Path scratch;

    private ReaderProperty() {
    }

    /** What a target does with its input; it may throw {@link SrrException} and nothing else. */
    @FunctionalInterface
    interface Body {
        void run() throws IOException;
    }

    /**
     * Runs {@code body} under the property for an input of {@code inputBytes} bytes.
     *
     * @param expectedInMessage a text every {@link SrrException} message must contain (the file name), or null
     * @throws AssertionError when the property does not hold (a finding); anything but SrrException from
     *                        {@code body} propagates as it is (a finding too)
     */
    static void check(int inputBytes, String expectedInMessage, Body body) {
        check(inputBytes, expectedInMessage, BASE_ALLOCATION + ALLOCATION_PER_BYTE * inputBytes, body);
    }

    /** The same with an allocation budget of the target's own (a template engine's constant factors are larger). */
    static void check(int inputBytes, String expectedInMessage, long budget, Body body) {
        long used = runOnce(expectedInMessage, body);
        // The first run of a code path also loads and instruments classes on this thread, which the counter
        // includes; only an input that is over budget a second time, with everything loaded, is a finding.
        if (used > budget) used = runOnce(expectedInMessage, body);
        if (used > budget) {
            throw new AssertionError("allocated " + used + " bytes for an input of " + inputBytes
                    + " bytes (budget " + budget + ")");
        }
    }

    /** Runs {@code body} once under the exception part of the property; returns the bytes it allocated. */
    private static long runOnce(String expectedInMessage, Body body) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            body.run();
        } catch (SrrException e) {
            String m = e.getMessage();
            if (m == null || m.isBlank()) throw new AssertionError("SrrException without a message", e);
            if (expectedInMessage != null && !m.contains(expectedInMessage)) {
                throw new AssertionError("message does not name " + expectedInMessage + ": " + m, e);
            }
        } catch (IOException e) {
            throw new AssertionError("the harness could not write its scratch files", e);
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Runs what must succeed once a reader has accepted its input (encoding with an accepted tokenizer, say): an
     * {@link SrrException} here means the reader let through something it should have refused.
     */
    static void mustSucceed(Body body) throws IOException {
        try {
            body.run();
        } catch (SrrException e) {
            throw new AssertionError("accepted at load, refused in use: " + e.getMessage(), e);
        }
    }

    /** Writes {@code data} as {@code name} in an empty scratch folder and returns its path. */
    static Path file(String name, byte[] data) throws IOException {
        Path dir = emptyScratch();
        Path file = dir.resolve(name);
        Files.write(file, data);
        return file;
    }

    /**
     * Writes the NUL-separated parts of {@code data} as the named files of an empty scratch folder (an input with
     * fewer parts leaves the later files out) and returns the folder.
     */
    static Path folder(byte[] data, String... names) throws IOException {
        Path dir = emptyScratch();
        byte[][] parts = split(data, names.length);
        for (int i = 0; i < names.length; i++) {
            if (parts[i] != null) Files.write(dir.resolve(names[i]), parts[i]);
        }
        return dir;
    }

    /** The first {@code n - 1} NUL bytes cut {@code data} into at most {@code n} parts; missing parts are null. */
    static byte[][] split(byte[] data, int n) {
        byte[][] parts = new byte[n][];
        int start = 0;
        for (int i = 0; i < n; i++) {
            int end = i == n - 1 ? data.length : indexOf(data, SEPARATOR, start);
            if (end < 0) {
                parts[i] = Arrays.copyOfRange(data, start, data.length);
                return parts;
            }
            parts[i] = Arrays.copyOfRange(data, start, end);
            start = end + 1;
        }
        return parts;
    }

    /** Joins parts with the separator: how seeds for multi-file targets are written. */
    static byte[] join(byte[]... parts) {
        int length = parts.length - 1;
        for (byte[] p : parts) length += p.length;
        byte[] out = new byte[length];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) out[at++] = SEPARATOR;
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
        }
        return out;
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) if (data[i] == b) return i;
        return -1;
    }

    private static synchronized Path emptyScratch() throws IOException {
        if (scratch == null) {
            Path shm = Path.of("/dev/shm");
            scratch = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "srr-fuzz-") : Files.createTempDirectory("srr-fuzz-");
            Path created = scratch;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created, true)));
        }
        deleteTree(scratch, false);
        return scratch;
    }

    private static void deleteTree(Path root, boolean includingRoot) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder())
                    .filter(p -> includingRoot || !p.equals(root))
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a scratch folder that cannot be cleaned shows up as a failure of the next input
        }
    }
}
