package dev.srr.serve;

import dev.srr.engine.LoadedModel;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.respond.Responder;
import dev.srr.tokenizer.ModelTokenizer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** A server on loopback (free port) over the embedded stand-in model and ranker of demo/, for the serve tests. */
final class ServeFixture implements AutoCloseable {
    static final Path MODEL = Path.of("demo/model");
    static final Path RANKER = Path.of("demo/ranker");

    final LoadedModel model;
    final Responder responder;
    final SrrServer server;
    final StringWriter log = new StringWriter();

    ServeFixture(ServeLimits limits, int defaultK) throws IOException {
        ModelTokenizer tokenizer = ModelTokenizer.load(MODEL);
        model = LoadedModel.open(MODEL, "cpu");
        responder = new Responder(model, tokenizer, RankerCheckpoint.load(RANKER), RANKER, "cpu");
        server = new SrrServer(new ServedModel("demo-model", model, tokenizer, responder, defaultK), limits, "127.0.0.1", 0,
                new PrintWriter(log, true));
    }

    String base() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
        responder.close();
        model.close();
    }
}
