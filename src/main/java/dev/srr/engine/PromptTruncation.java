package dev.srr.engine;

import dev.srr.SrrException;
import dev.srr.model.ModelConfig;

import java.util.Arrays;

/** What to do with a prompt that leaves no room for max_new_tokens in the model's context. */
public enum PromptTruncation {
    /** Refuse with a message that says how far over the context the request is. */
    ERROR,
    /**
     * Drop the oldest prompt tokens until prompt + max_new_tokens fits; a leading BOS token is kept, since
     * models are trained to see it first.
     */
    LEFT;

    /** The prompt to run: {@code prompt} itself when it fits. */
    public int[] fit(int[] prompt, int maxNewTokens, ModelConfig config) {
        int context = config.maxPositions();
        if (prompt.length == 0) throw new SrrException("the prompt is empty");
        if (prompt.length + maxNewTokens <= context) return prompt;
        if (this == ERROR) {
            throw new SrrException("prompt of " + prompt.length + " tokens + max_new_tokens " + maxNewTokens + " = "
                    + (prompt.length + maxNewTokens) + " exceeds the model's context of " + context
                    + " tokens; lower --max-new-tokens or pass --truncate left to drop the oldest prompt tokens");
        }
        boolean keepBos = prompt[0] == config.bosTokenId() && config.bosTokenId() >= 0;
        int room = context - maxNewTokens;
        int minimum = keepBos ? 2 : 1;
        if (room < minimum) {
            throw new SrrException("max_new_tokens " + maxNewTokens + " leaves no room for a prompt in the model's context of "
                    + context + " tokens");
        }
        if (!keepBos) return Arrays.copyOfRange(prompt, prompt.length - room, prompt.length);
        int[] out = new int[room];
        out[0] = prompt[0];
        System.arraycopy(prompt, prompt.length - (room - 1), out, 1, room - 1);
        return out;
    }
}
