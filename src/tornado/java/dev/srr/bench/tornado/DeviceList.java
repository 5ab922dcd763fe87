package dev.srr.bench.tornado;

import dev.srr.compute.tornado.TornadoDevices;

import java.util.List;

/** Prints the devices TornadoVM sees, as {@code -Dsrr.tornado.device=B:D} names them ({@code bin/srr --devices} in the bundle). */
public final class DeviceList {
    private DeviceList() {
    }

    public static void main(String[] args) {
        List<String> all = TornadoDevices.list();
        if (all.isEmpty()) System.out.println("TornadoVM sees no device");
        all.forEach(System.out::println);
    }
}
