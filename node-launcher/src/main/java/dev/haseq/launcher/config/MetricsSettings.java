package dev.haseq.launcher.config;

import dev.haseq.api.HostPort;

/**
 * The {@code metrics.*} keys: the Prometheus endpoint.
 *
 * @param enabled serve metrics
 * @param address host:port of the endpoint
 */
public record MetricsSettings(boolean enabled, HostPort address) {
    public static final String ENABLED = "metrics.enabled";
    public static final String ADDRESS = "metrics.address";

    public MetricsSettings {
        if (address == null) {
            throw new IllegalArgumentException("metrics address must not be null");
        }
    }

    static MetricsSettings parse(ValueReader r) {
        return new MetricsSettings(r.bool(ENABLED), r.hostPort(ADDRESS));
    }
}
