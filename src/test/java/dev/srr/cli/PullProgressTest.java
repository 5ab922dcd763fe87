package dev.srr.cli;

import dev.srr.hub.ModelRef;
import dev.srr.hub.PullListener;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a pull's progress looks like on a terminal and in a log. */
class PullProgressTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    static String run(boolean terminal, boolean quiet) throws InterruptedException {
        StringWriter sw = new StringWriter();
        PullProgress p = new PullProgress(new PrintWriter(sw, true), terminal, quiet);
        p.planned(ModelRef.parse("org/m"), COMMIT, List.of(new PullListener.PlannedFile("config.json", 800, true),
                new PullListener.PlannedFile("model.safetensors", 3_000_000_000L, false)));
        p.started("model.safetensors", 3_000_000_000L, 1_000_000_000L);
        Thread.sleep(150);
        p.progress("model.safetensors", 1_500_000_000L, 3_000_000_000L);
        p.note("model.safetensors: the server ignored the range request; downloading from the start");
        p.progress("model.safetensors", 0, 3_000_000_000L);
        Thread.sleep(150);
        p.progress("model.safetensors", 2_000_000_000L, 3_000_000_000L);
        p.finished("model.safetensors", 3_000_000_000L, 3_500_000_000L);
        return sw.toString();
    }

    @Test
    void onATerminalOneStatusLineIsRedrawnBetweenLinesThatStay() throws InterruptedException {
        String out = run(true, false);
        assertTrue(out.startsWith("pull: org/m@main (commit 0123456789): 2 files, 1 to download (3.0 GB), 800 B in the cache\n"), out);
        assertTrue(out.contains("\rmodel.safetensors: 1.5 GB of 3.0 GB (50%), "), out);
        assertTrue(out.contains("/s, eta "), out);
        assertTrue(out.contains("; all: 1.5 GB of 3.0 GB"), out);
        assertTrue(out.contains("pull: model.safetensors: the server ignored the range request"), out);
        assertTrue(out.contains("\rmodel.safetensors: 2.0 GB of 3.0 GB (66%)"), out);
        String last = out.lines().toList().getLast();
        assertTrue(last.startsWith("pull: model.safetensors: 3.5 GB in ") && last.endsWith("resumed at 1.0 GB; 1/1 files, 3.0 GB of 3.0 GB"), last);
    }

    @Test
    void elsewherePlainLinesOnly() throws InterruptedException {
        String out = run(false, false);
        assertFalse(out.contains("\r"), out);
        assertEquals(3, out.lines().count(), out); // the plan, the note, the finished file (status lines every 5 s)
    }

    @Test
    void quietIsSilent() throws InterruptedException {
        assertEquals("", run(true, true));
    }

    @Test
    void bytesInDecimalUnits() {
        assertEquals("999 B", PullProgress.bytes(999));
        assertEquals("1.5 kB", PullProgress.bytes(1500));
        assertEquals("403 kB", PullProgress.bytes(403_240));
        assertEquals("15.2 GB", PullProgress.bytes(15_200_000_000L));
    }
}
