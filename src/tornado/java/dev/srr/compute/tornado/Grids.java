package dev.srr.compute.tornado;

import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.WorkerGrid2D;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The launch grid of every task. The graph is compiled once; what changes per execution is how many rows there
 * are, so before each execution the grids are resized per family: the step's rows, the logit rows, the captured
 * rows (TornadoVM reads a task's {@link WorkerGrid} at every launch).
 */
final class Grids {
    /** Which row count sizes a grid. */
    enum Family { STEP, LOGITS, CAPTURE }

    /** How the work-groups map to rows. */
    enum Shape {
        /** One work-group per row (1D). */
        ROWS,
        /** {@code groups} work-groups per {@link Kernels#ROWS_PER_GROUP} rows (2D). */
        ROW_BLOCKS,
        /** {@code groups} work-groups per row (2D): heads by rows. */
        PER_ROW
    }

    private record Entry(WorkerGrid grid, Shape shape, int groups, int local) {
    }

    private final GridScheduler scheduler = new GridScheduler();
    private final Map<Family, List<Entry>> families = new EnumMap<>(Family.class);

    GridScheduler scheduler() {
        return scheduler;
    }

    /** Registers the grid of task {@code graph.task}. */
    void add(Family family, String graph, String task, Shape shape, int groups, int local) {
        WorkerGrid grid = shape == Shape.ROWS ? new WorkerGrid1D(local) : new WorkerGrid2D(groups * local, 1);
        Entry e = new Entry(grid, shape, groups, local);
        resize(e, 1);
        scheduler.addWorkerGrid(graph + "." + task, grid);
        families.computeIfAbsent(family, f -> new ArrayList<>()).add(e);
    }

    void resize(Family family, int rows) {
        for (Entry e : families.getOrDefault(family, List.of())) resize(e, rows);
    }

    private static void resize(Entry e, int rows) {
        switch (e.shape) {
            case ROWS -> e.grid.setGlobalWork((long) rows * e.local, 1, 1);
            case ROW_BLOCKS -> e.grid.setGlobalWork((long) e.groups * e.local, (rows + Kernels.ROWS_PER_GROUP - 1) / Kernels.ROWS_PER_GROUP, 1);
            case PER_ROW -> e.grid.setGlobalWork((long) e.groups * e.local, rows, 1);
        }
        e.grid.setLocalWork(e.local, 1, 1);
    }
}
