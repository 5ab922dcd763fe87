package dev.srr.rank;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The blocked, vectorised Linear kernel adds every output element's terms in the same order as the plain triple
 * loop, so its results are bit-identical to it; sizes cover full 4 x 4-vector blocks, row tails and column tails.
 */
class LinearKernelTest {

    @Test
    void forwardAndBackwardEqualThePlainLoopsBitForBit() {
        Random rng = new Random(11);
        int[][] shapes = {{7, 37, 70}, {16, 64, 128}, {3, 5, 4}, {9, 130, 33}};
        for (int[] s : shapes) {
            int rows = s[0], in = s[1], out = s[2];
            double[] x = GradientCheck.random(rng, rows * in, 1);
            double[] w = GradientCheck.random(rng, in * out, 1);
            double[] b = GradientCheck.random(rng, out, 1);
            double[] dy = GradientCheck.random(rng, rows * out, 1);

            double[] y = new double[rows * out];
            for (int t = 0; t < rows; t++) {
                for (int j = 0; j < out; j++) {
                    double acc = b[j];
                    for (int k = 0; k < in; k++) acc += x[t * in + k] * w[k * out + j];
                    y[t * out + j] = acc;
                }
            }
            assertArrayEquals(y, Linear.forward(x, rows, in, out, w, b), "forward " + rows + "x" + in + "x" + out);

            double[] dwStart = GradientCheck.random(rng, in * out, 1);
            double[] dw = dwStart.clone();
            double[] db = new double[out];
            double[] dx = Linear.backward(x, dy, rows, in, out, w, dw, db, true);
            double[] dwPlain = dwStart.clone();
            double[] dxPlain = new double[rows * in];
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    double acc = dwPlain[i * out + j];
                    for (int t = 0; t < rows; t++) acc += x[t * in + i] * dy[t * out + j];
                    dwPlain[i * out + j] = acc;
                }
            }
            for (int t = 0; t < rows; t++) {
                for (int i = 0; i < in; i++) {
                    double acc = 0;
                    for (int j = 0; j < out; j++) acc += dy[t * out + j] * w[i * out + j];
                    dxPlain[t * in + i] = acc;
                }
            }
            assertArrayEquals(dwPlain, dw, "dW " + rows + "x" + in + "x" + out);
            assertArrayEquals(dxPlain, dx, "dx " + rows + "x" + in + "x" + out);
        }
    }
}
