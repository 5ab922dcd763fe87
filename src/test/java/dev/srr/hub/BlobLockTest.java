package dev.srr.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The blob lock excludes other threads and other flock(2) users (Python's filelock takes the same lock). */
class BlobLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHolderWaitsForTheFirst() throws Exception {
        Path file = dir.resolve(".locks/models--o--n/abc.lock");
        AtomicBoolean waited = new AtomicBoolean();
        AtomicBoolean secondHeld = new AtomicBoolean();
        try (BlobLock first = BlobLock.acquire(file, () -> { })) {
            Thread t = Thread.ofPlatform().start(() -> {
                try (BlobLock second = BlobLock.acquire(file, () -> waited.set(true))) {
                    secondHeld.set(true);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(secondHeld.get(), "the second lock waits");
            t.join(10); // still waiting
            first.close();
            t.join(5000);
        }
        assertTrue(waited.get());
        assertTrue(secondHeld.get());
        assertTrue(Files.isRegularFile(file), "the lock file stays, as filelock leaves it");
    }

    @Test
    void anotherProcessHoldingFlockMakesItWait() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "flock(1) and flock(2): Linux");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/flock")), "util-linux flock(1) is not installed");
        assertTrue(BlobLock.usesFlock(), "srr takes flock(2) locks on Linux");
        Path file = dir.resolve("x.lock");
        Files.createFile(file);
        Path held = dir.resolve("held");
        // flock(1) takes flock(2) on the file, as Python's filelock does, and holds it for 1.5 s
        Process p = new ProcessBuilder("/usr/bin/flock", file.toString(), "sh", "-c", "touch " + held + "; sleep 1.5").start();
        try {
            long until = System.nanoTime() + 5_000_000_000L;
            while (!Files.exists(held) && System.nanoTime() < until) Thread.sleep(20);
            assertTrue(Files.exists(held), "flock(1) got the lock");
            AtomicBoolean waited = new AtomicBoolean();
            long t0 = System.nanoTime();
            try (BlobLock lock = BlobLock.acquire(file, () -> waited.set(true))) {
                assertTrue(waited.get(), "srr saw the other holder");
                assertTrue((System.nanoTime() - t0) / 1e9 > 0.5, "and waited for it");
            }
        } finally {
            p.waitFor(5, TimeUnit.SECONDS);
            p.destroy();
        }
    }
}
