package dev.srr.io;

import dev.srr.SrrException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that a path names the kind of thing a reader expects before the reader opens it, so a folder given
 * for a file (or the reverse) gets a sentence instead of an operating-system error code.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * A path to read as a stream: it must exist and not be a folder (pipes and devices are fine).
     *
     * @throws SrrException naming the path when it is missing or a folder
     */
    public static void requireNotFolder(Path file) {
        if (Files.isDirectory(file)) throw new SrrException(file + ": is a folder, expected a file");
        if (!Files.exists(file)) throw new SrrException(file + ": file not found");
    }

    /**
     * A path to map into memory or to size up front: it must be an existing regular file.
     *
     * @param what what the file should hold, for the message ("a safetensors file")
     * @throws SrrException naming the path when it is missing, a folder or not a regular file
     */
    public static void requireRegularFile(Path file, String what) {
        if (Files.isDirectory(file)) throw new SrrException(file + ": is a folder, expected " + what);
        if (!Files.exists(file)) throw new SrrException(file + ": file not found");
        if (!Files.isRegularFile(file)) throw new SrrException(file + ": not a regular file, expected " + what);
    }

    /**
     * A path that must be an existing folder.
     *
     * @param what what the folder should hold, for the message ("a ranker checkpoint folder")
     * @throws SrrException naming the path when it is missing or a file
     */
    public static void requireFolder(Path folder, String what) {
        if (!Files.exists(folder)) throw new SrrException(folder + ": not found, expected " + what);
        if (!Files.isDirectory(folder)) throw new SrrException(folder + ": is a file, expected " + what);
    }
}
