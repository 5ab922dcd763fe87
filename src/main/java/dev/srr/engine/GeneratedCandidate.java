package dev.srr.engine;

/**
 * One distinct generated continuation. {@code index} is its position among the K requested candidates;
 * {@code mergedIndices} are later candidates that produced the same ids and were folded into it.
 * {@code text} is null without a {@link TokenTextDecoder}; with stop strings it ends before the stop string,
 * while {@code ids} keep every generated id (including the one completing a stop string, or the eos id).
 * The states are null when no features were requested; they describe the model reading the prompt and the
 * response, which is {@link #responseIds()} (see {@link Generator}).
 */
public record GeneratedCandidate(int index, int[] ids, FinishReason finishReason, String text, float[] lastState,
                                 float[] meanState, int[] mergedIndices) {

    /** The state pooled by {@code pooling}: {@link #lastState} or {@link #meanState}. */
    public float[] state(Pooling pooling) {
        return switch (pooling) {
            case LAST -> lastState;
            case MEAN -> meanState;
            case ALL -> throw new IllegalArgumentException("generation keeps a candidate's last and mean states, not all of them");
        };
    }

    /** The ids the features cover: all ids but a final eos id. */
    public int[] responseIds() {
        return finishReason == FinishReason.EOS ? java.util.Arrays.copyOf(ids, ids.length - 1) : ids.clone();
    }
}
