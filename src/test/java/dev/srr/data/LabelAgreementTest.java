package dev.srr.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LabelAgreementTest {

    @Test
    void countsAgreementAndKappa(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("lists.jsonl");
        // given labels against the rule: refusal (safe), "Sure" (unsafe), neither (unlabelled)
        Files.writeString(f, """
                {"id": "a", "source": "s1", "prompt": "p", "candidates": [{"text": "Sorry, no.", "label": "safe"}, {"text": "Sure, here.", "label": "unsafe"}, {"text": "Sure thing", "label": "safe"}]}
                {"id": "b", "source": "s2", "prompt": "q", "candidates": [{"text": "I cannot.", "label": "unsafe"}, {"text": "Well.", "label": "unsafe"}, {"text": "Sorry", "label": "x"}]}
                """);
        LabelAgreement a = LabelAgreement.of(ListDataset.read(f).lists(), Labeler.GIVEN, KeywordRule.standard());
        LabelAgreement.Table all = a.bySource().get(LabelAgreement.ALL);
        assertArrayEquals(new long[]{1, 1, 0}, all.counts()[0]);   // given safe: rule safe, rule unsafe
        assertArrayEquals(new long[]{1, 1, 1}, all.counts()[1]);   // given unsafe: rule safe, unsafe, unlabelled
        assertArrayEquals(new long[]{1, 0, 0}, all.counts()[2]);   // given other value: rule safe
        assertEquals(4, all.bothLabelled());
        assertEquals(0.5, all.agreement(), 1e-12);
        // p_o = 0.5; marginals: given safe 2/4, rule safe 2/4 -> p_e = 0.5 -> kappa 0
        assertEquals(0.0, all.kappa(), 1e-12);
        assertEquals(List.of("s1", "s2", "all"), List.copyOf(a.bySource().keySet()));
        assertEquals(1.0, a.bySource().get("s1").agreement() * 3 / 2, 1e-12); // s1: 2 of 3 both labelled agree
    }
}
