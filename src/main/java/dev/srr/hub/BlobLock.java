package dev.srr.hub;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one blob of the cache, held while it is downloaded, so that two pulls of the same file
 * (threads, srr processes, or srr and Python) never write it at the same time: the second waits, then finds the
 * blob complete.
 *
 * <p>The lock is {@code flock(2)} on {@code .locks/models--ORG--NAME/<etag>.lock}, the call Python's
 * {@code filelock} makes on the same file for {@code huggingface_hub}, so srr and Python exclude each other. Java's
 * own {@link FileChannel#lock()} takes a POSIX record lock ({@code fcntl}), which Linux keeps apart from
 * {@code flock}: it would only exclude other JVMs. srr therefore calls {@code flock} through the FFM API on Linux
 * and macOS, and falls back to a JVM-wide lock plus {@link FileChannel#lock()} where {@code flock} is missing
 * (Windows) or refused by the file system. The lock file is left in place on release, as {@code filelock} leaves
 * it, so that every waiter locks the same inode.
 */
final class BlobLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private final Runnable release;

    private BlobLock(Runnable release) {
        this.release = release;
    }

    /**
     * Blocks until the lock on {@code file} is held, creating the file (mode 664, as Python creates it, so users
     * sharing a cache can wait on each other's locks). {@code onWait} runs once if another holder makes this wait.
     *
     * @throws IOException when the lock file cannot be created or opened
     */
    static BlobLock acquire(Path file, Runnable onWait) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-r--")));
        } catch (FileAlreadyExistsException ignored) {
            // another pull made it: lock the same file
        } catch (UnsupportedOperationException e) {
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException ignored) {
                // as above
            }
        }
        if (Flock.AVAILABLE) {
            BlobLock lock = Flock.lock(file, onWait);
            if (lock != null) return lock;
        }
        return channelLock(file, onWait);
    }

    /** True when locks are flock(2) locks (Linux, macOS), which Python's filelock honours. */
    static boolean usesFlock() {
        return Flock.AVAILABLE;
    }

    /** Releases the lock (the file stays). */
    @Override
    public void close() {
        release.run();
    }

    private static BlobLock channelLock(Path file, Runnable onWait) throws IOException {
        // FileChannel locks belong to the whole JVM (a second lock() from another thread throws), so threads
        // queue on a lock of their own first
        ReentrantLock inJvm = JVM_LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
        boolean waited = false;
        if (!inJvm.tryLock()) {
            onWait.run();
            waited = true;
            inJvm.lock();
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
            try {
                FileLock held = channel.tryLock();
                if (held == null) {
                    if (!waited) onWait.run();
                    held = channel.lock();
                }
                FileLock lock = held;
                return new BlobLock(() -> {
                    try {
                        lock.release();
                        channel.close();
                    } catch (IOException ignored) {
                        // closing the channel drops the lock in any case
                    } finally {
                        inJvm.unlock();
                    }
                });
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            inJvm.unlock();
            throw e;
        }
    }

    /** {@code open}, {@code flock} and {@code close} from the C library, with {@code errno}. */
    @SuppressWarnings("restricted") // native access: srr's launchers and tests enable it (--enable-native-access)
    private static final class Flock {
        static final boolean AVAILABLE;
        private static final int O_RDONLY = 0;
        private static final int O_RDWR = 2;
        private static final int LOCK_EX = 2;
        private static final int LOCK_NB = 4;
        private static final int LOCK_UN = 8;
        private static final int EINTR = 4;
        private static final boolean MAC = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
        private static final int EWOULDBLOCK = MAC ? 35 : 11;
        private static final MethodHandle OPEN;
        private static final MethodHandle FLOCK;
        private static final MethodHandle CLOSE;
        private static final StructLayout STATE;
        private static final VarHandle ERRNO;

        static {
            MethodHandle open = null;
            MethodHandle flock = null;
            MethodHandle close = null;
            StructLayout state = null;
            VarHandle errno = null;
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (os.contains("linux") || MAC) {
                try {
                    Linker linker = Linker.nativeLinker();
                    var libc = linker.defaultLookup();
                    state = Linker.Option.captureStateLayout();
                    errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                    Linker.Option capture = Linker.Option.captureCallState("errno");
                    open = linker.downcallHandle(libc.find("open").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                            capture, Linker.Option.firstVariadicArg(2));
                    flock = linker.downcallHandle(libc.find("flock").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), capture);
                    close = linker.downcallHandle(libc.find("close").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                } catch (Throwable e) {
                    open = null; // no native access (a JVM without --enable-native-access that denies it): fall back
                }
            }
            AVAILABLE = open != null;
            OPEN = open;
            FLOCK = flock;
            CLOSE = close;
            STATE = state;
            ERRNO = errno;
        }

        /** The lock, or null when flock cannot be used on this file (then the caller falls back). */
        static BlobLock lock(Path file, Runnable onWait) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(STATE);
                MemorySegment path = arena.allocateFrom(file.toAbsolutePath().toString());
                int fd = (int) OPEN.invokeExact(state, path, O_RDWR, 0664);
                if (fd < 0) fd = (int) OPEN.invokeExact(state, path, O_RDONLY, 0664); // someone else's lock file
                if (fd < 0) return null;
                int rc = (int) FLOCK.invokeExact(state, fd, LOCK_EX | LOCK_NB);
                if (rc != 0 && errno(state) == EWOULDBLOCK) {
                    onWait.run();
                    do {
                        rc = (int) FLOCK.invokeExact(state, fd, LOCK_EX);
                    } while (rc != 0 && errno(state) == EINTR);
                }
                if (rc != 0) {
                    int ignored = (int) CLOSE.invokeExact(fd); // e.g. ENOLCK on a file system without flock
                    return null;
                }
                int held = fd;
                return new BlobLock(() -> unlock(held));
            } catch (Throwable e) {
                return null;
            }
        }

        private static void unlock(int fd) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(STATE);
                int ignored = (int) FLOCK.invokeExact(state, fd, LOCK_UN);
                ignored = (int) CLOSE.invokeExact(fd); // closing alone would release it too; unlocking first is explicit
            } catch (Throwable ignored) {
                // nothing sensible left to do: the descriptor is gone when the process ends
            }
        }

        private static int errno(MemorySegment state) {
            return (int) ERRNO.get(state, 0L);
        }
    }
}
