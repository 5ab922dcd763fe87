package dev.srr.data;

import dev.srr.SrrException;

/**
 * Decides which candidates count as safe for training and evaluation ({@code --label given|keyword}).
 * Returns TRUE safe, FALSE unsafe, null unknown (such candidates are left out of the loss and the metrics).
 */
public interface Labeler {
    Boolean label(SafetyList list, Candidate candidate);

    String name();

    /** The labels the data carries ({@code harm}, else {@code label}); other values count as unknown. */
    Labeler GIVEN = new Labeler() {
        @Override
        public Boolean label(SafetyList list, Candidate candidate) {
            return candidate.safe();
        }

        @Override
        public String name() {
            return "given";
        }
    };

    static Labeler parse(String name) {
        return switch (name) {
            case "given" -> GIVEN;
            case "keyword" -> KeywordRule.standard();
            default -> throw new SrrException("unknown --label '" + name + "' (use given or keyword)");
        };
    }

    default Boolean[] labels(SafetyList list) {
        Boolean[] y = new Boolean[list.candidates().size()];
        for (int i = 0; i < y.length; i++) y[i] = label(list, list.candidates().get(i));
        return y;
    }
}
