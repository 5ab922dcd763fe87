package dev.srr.serve;

import dev.srr.engine.LoadedModel;
import dev.srr.respond.Responder;
import dev.srr.tokenizer.ModelTokenizer;

/**
 * What a server answers with: the model and its tokenizer, the ranker's responder (null: plain generation only), the
 * default number of candidates K, and the id clients name the model by.
 */
public record ServedModel(String id, LoadedModel model, ModelTokenizer tokenizer, Responder responder, int defaultK) {

    public ServedModel {
        if (defaultK < 1) throw new IllegalArgumentException("K must be at least 1, got " + defaultK);
    }

    public boolean ranks() {
        return responder != null;
    }
}
