package dev.srr.compute.tornado;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.cli.CliRunner;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code srr respond --backend tornado} end to end on the demo's stand-in model and ranker: K candidates generated
 * together on the device, their features captured during decoding, ranked by the scorer graph. Same candidates
 * and scores as the CPU backend.
 */
class TornadoRespondTest {
    @Test
    void respondOnTheDeviceEqualsTheCpuBackend() {
        JsonNode cpu = respond("cpu");
        JsonNode device = respond("tornado");
        JsonNode a = cpu.get("candidates");
        JsonNode b = device.get("candidates");
        assertEquals(a.size(), b.size(), "candidates after merging");
        assertEquals(cpu.get("merged"), device.get("merged"), "identical candidates merged");
        assertTrue(a.size() > 1, "more than one distinct candidate to rank: " + a);
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).get("text").asText(), b.get(i).get("text").asText(), "candidate " + i + " text");
            assertEquals(a.get(i).get("tokens").asInt(), b.get(i).get("tokens").asInt(), "candidate " + i + " token count");
            double x = a.get(i).get("score").asDouble();
            double y = b.get(i).get("score").asDouble();
            double err = Math.abs(x - y) / Math.max(1e-6, Math.abs(x));
            worst = Math.max(worst, err);
            assertTrue(err < 1e-5, "candidate " + i + " score " + y + " vs CPU " + x);
        }
        assertEquals(cpu.get("chosen"), device.get("chosen"));
        System.out.printf("TornadoRespondTest: %d candidates, worst score relative error %.3e%n", a.size(), worst);
    }

    private static JsonNode respond(String backend) {
        CliRunner r = CliRunner.run("respond", "demo/model", "--ranker", "demo/ranker", "--prompt", "How do I pick a lock?",
                "--n", "6", "--max-new-tokens", "12", "--seed", "5", "--json", "--backend", backend);
        assertEquals(0, r.exitCode(), r.err());
        return Json.parse(r.out(), "respond --backend " + backend);
    }
}
