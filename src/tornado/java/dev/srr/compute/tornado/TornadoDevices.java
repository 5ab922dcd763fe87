package dev.srr.compute.tornado;

import dev.srr.SrrException;
import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;

import java.util.ArrayList;
import java.util.List;

/** Finds the device to run on: {@code -Dsrr.tornado.device=B:D} (backend B, device D) or TornadoVM's default. */
public final class TornadoDevices {
    private TornadoDevices() {
    }

    /** The device named by {@code spec} ("backend:device", e.g. "0:0"), or the default device when blank. */
    public static TornadoDevice select(String spec) {
        if (spec == null || spec.isBlank()) return TornadoExecutionPlan.getDevice(0, 0);
        String[] parts = spec.trim().split(":");
        try {
            if (parts.length != 2) throw new NumberFormatException();
            int backend = Integer.parseInt(parts[0]);
            int device = Integer.parseInt(parts[1]);
            List<TornadoBackend> backends = TornadoExecutionPlan.getTornadoDeviceMap().getAllBackends();
            if (backend < 0 || backend >= backends.size() || device < 0 || device >= backends.get(backend).getNumDevices()) {
                throw new SrrException("-D" + TornadoSettings.DEVICE + "=" + spec + " does not exist; devices: " + String.join(", ", list()));
            }
            return backends.get(backend).getDevice(device);
        } catch (NumberFormatException e) {
            throw new SrrException("-D" + TornadoSettings.DEVICE + "=" + spec + ": expected backend:device, e.g. 0:0");
        }
    }

    public static boolean isGpu(TornadoDevice d) {
        return d.getDeviceType() == TornadoDeviceType.GPU;
    }

    /** "b:d name (backend)" for every device TornadoVM sees. */
    public static List<String> list() {
        List<String> out = new ArrayList<>();
        List<TornadoBackend> backends = TornadoExecutionPlan.getTornadoDeviceMap().getAllBackends();
        for (int b = 0; b < backends.size(); b++) {
            for (int d = 0; d < backends.get(b).getNumDevices(); d++) out.add(b + ":" + d + " " + describe(backends.get(b).getDevice(d)));
        }
        return out;
    }

    public static String describe(TornadoDevice d) {
        return d.getPhysicalDevice().getDeviceName() + " [" + d.getTornadoVMBackend() + ", " + d.getDeviceType() + "]";
    }
}
